"""The Humas score (0-100) of an office for a month or a year.

    score = 100 x sum(weight x part) / sum(weight of the parts that apply)

| part        | weight | value (0..1)                                                       | applies when            |
|-------------|--------|--------------------------------------------------------------------|-------------------------|
| target      | 35     | stories / (stories per week x weeks in the period so far), cap 1   | the office has a target |
| originality | 20     | original stories / stories (0 with no stories)                     | always                  |
| social      | 20     | half posts / (its posts target, else 8 a month), capped at 1;       | always                  |
|             |        | half engagement rate (engagement / reach) / 5 %, capped at 1        |                         |
| coverage    | 15     | (positive + neutral / 2) / outside coverage items                   | there was coverage      |
| whatsapp    | 10     | first responses within one office hour / conversations handed to   | conversations handed    |
|             |        | the office (answered, or unanswered past the hour)                 | to the office           |

"Weeks in the period so far": a past month or year counts whole; the running month counts only
its days so far in the office's timezone (selectors.Period.weeks_until), so an office is not
behind on 6 December for the 25 days still to come. The posts target scales the same way.

A part that does not apply leaves the others to share the score, so an office is not punished
for news nobody wrote about it, or for having no WhatsApp line yet; but an office without any
story or post scores 0 on originality and social media, because publishing is the job.
"""

from __future__ import annotations

from dataclasses import dataclass

WEIGHTS = {"target": 35, "originality": 20, "social": 20, "coverage": 15, "whatsapp": 10}
# The parts' names as people read them (msgids: the page translates them, the Rakor PDF is Indonesian).
PART_LABELS = {"target": "Target berita", "originality": "Orisinalitas", "social": "Media sosial",
               "coverage": "Nada pemberitaan luar", "whatsapp": "Respons WhatsApp"}
SOCIAL_POSTS_DEFAULT_PER_MONTH = 8
ENGAGEMENT_RATE_FULL = 0.05


@dataclass
class Figures:
    stories: int = 0
    original: int = 0
    repeats: int = 0
    priority_stories: int = 0
    social_posts: int = 0
    social_views: int = 0
    social_reach: int = 0
    social_engagement: int = 0
    coverage_positive: int = 0
    coverage_neutral: int = 0
    coverage_negative: int = 0
    wa_answered: int = 0
    wa_within_target: int = 0
    wa_unanswered: int = 0

    @property
    def wa_handled(self) -> int:
        """Conversations the office had to answer: answered, or unanswered past the target."""
        return self.wa_answered + self.wa_unanswered

    @property
    def coverage(self) -> int:
        return self.coverage_positive + self.coverage_neutral + self.coverage_negative


def parts(f: Figures, *, stories_target: float | None, posts_target: float) -> dict[str, float | None]:
    """Each part's value 0..1, None when it does not apply (table above). ``posts_target`` is
    already scaled to the period (months x per-month target)."""
    rate = f.social_engagement / f.social_reach if f.social_reach else 0.0
    return {
        "target": None if not stories_target else min(1.0, f.stories / stories_target),
        "originality": f.original / f.stories if f.stories else 0.0,
        "social": 0.5 * min(1.0, f.social_posts / posts_target if posts_target else 0.0)
        + 0.5 * min(1.0, rate / ENGAGEMENT_RATE_FULL),
        "coverage": (f.coverage_positive + f.coverage_neutral / 2) / f.coverage if f.coverage else None,
        "whatsapp": f.wa_within_target / f.wa_handled if f.wa_handled else None,
    }


def score(values: dict[str, float | None]) -> float:
    used = {k: v for k, v in values.items() if v is not None}
    weight = sum(WEIGHTS[k] for k in used)
    return round(100 * sum(WEIGHTS[k] * v for k, v in used.items()) / weight, 1) if weight else 0.0
