"""The six must-talks (六必谈): the events that oblige a talk, the triggers
they raise, who talks with whom, the talks held and the scheduled interviews.

Seed, section 三: a talk must be held when the leadership team is not working
together, a cadre's post changes, warning signs appear, an important petition
concerns the cadre, the family meets a major event or the cadre achieves
something outstanding; the county party secretary talks with township party
secretaries, the county organization-department head with township leadership
members, the township party secretary with the township's other cadres; talks
are also held regularly, and the organization department holds scheduled
interviews with township section-level cadres.

One module per concern; every model is imported here, where Django and the
rest of the code find them.
"""

from cadrecare.talks.models.config import TalkPolicy, TalkRoute
from cadrecare.talks.models.interviews import InterviewItem, InterviewRound
from cadrecare.talks.models.sources import Commendation, Petition, TeamFlag
from cadrecare.talks.models.talks import Talk, TalkFollowUp
from cadrecare.talks.models.triggers import TalkTrigger

__all__ = [
    "Commendation",
    "InterviewItem",
    "InterviewRound",
    "Petition",
    "Talk",
    "TalkFollowUp",
    "TalkPolicy",
    "TalkRoute",
    "TalkTrigger",
    "TeamFlag",
]
