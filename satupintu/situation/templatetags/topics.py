from django import template

from satupintu.situation.topic_labels import topic_label

register = template.Library()
register.filter("topic_label", topic_label)
