from django import template

from satupintu.situation.topic_labels import domain_label, topic_label

register = template.Library()
register.filter("topic_label", topic_label)
register.filter("domain_label", domain_label)
