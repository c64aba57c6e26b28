"""Rakor pages (urls.py names them as ``rakor_views.<name>``): meetings.py (list, record,
one meeting and its changes, attendance, downloads), followups.py (adopt, assign, one action,
evidence, boards), common.py (who may see and do what)."""

from satupintu.rakor.views.followups import (
    action_add,
    action_detail,
    decision_adopt,
    decision_board,
    evidence_download,
    my_board,
)
from satupintu.rakor.views.meetings import (
    attend,
    document_download,
    meeting_act,
    meeting_attendance_csv,
    meeting_create,
    meeting_detail,
    meeting_ics,
    meeting_list,
    meeting_minutes_pdf,
)

__all__ = [
    "action_add", "action_detail", "attend", "decision_adopt", "decision_board", "document_download",
    "evidence_download", "meeting_act", "meeting_attendance_csv", "meeting_create", "meeting_detail",
    "meeting_ics", "meeting_list", "meeting_minutes_pdf", "my_board",
]
