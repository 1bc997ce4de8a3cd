"""The word tables of quote scoring, in folded form (lowercase, curly apostrophes).

Which words make a line move (emotive), address someone (second person), open it weakly
(filler, mid-thought), stage it (gestures) or carry no meaning of their own (function words).
"""

from __future__ import annotations

from typing import Final

FILLER_OPENERS: Final = frozenset(
    "okay ok yeah yes yep um umm uh uhm oh well hmm hm so alright right er ah mm huh eh "
    "anyway anyways sure".split()
)
MID_THOUGHT_OPENERS: Final = frozenset(
    "and but then because or nor which although though also plus besides yet".split()
)
EMOTIVE: Final = frozenset(
    """
    heart hearts heartbeat love loved loves loving lover never always forever home afraid
    fear fears scared mine yours world alone lonely safe safety truth true lie lies lying
    liar hurt hurts pain trust free freedom mate mates believe remember forget forgot
    forgotten need sorry dream dreams soul fire blood die dying dead death kill killed
    murder murdered live alive life hope cry tears wish kiss warm warmth cold dark darkness
    light together lost lose miss promise innocent family run running tired rest everything
    nothing nobody anyone forgive courage brave broken break wrong right nightmare waiting
    belong want wanted
    """.split()
)
GESTURES: Final = frozenset(
    """
    nods nodded shakes shook blinks blinked stares stared glances glanced looks looked smiles
    smiled grins grinned frowns frowned shrugs shrugged turns turned steps stepped walks
    walked sits sat stands stood leans leaned rolls rolled swallows swallowed coughs coughed
    rubs rubbed flushes flushed snorts snorted winces winced head eyes eye hand hands arm
    arms mouth lip lips shoulder shoulders jaw throat eyebrow eyebrows nose fingers hair
    cheeks forehead elbow hips temples knife spoon chair door
    """.split()
)
FUNCTION_WORDS: Final = frozenset(
    """
    a an the and or but nor so yet for of to in on at by with from up down out off over
    into onto about as than then that this these those there here is are was were be been
    being am do does did done have has had having will would shall should can could may
    might must i me my mine we us our you your he him his she her they them their it its
    what which who whom whose when where why how not no yes all any some just very too
    also only even still if because while though although again ever really quite much
    more most less own same such both each few other now well oh okay ok yeah um uh hmm
    i'm i've i'll i'd you're you've you'll he's she's it's that's there's we're they're
    don't doesn't didn't can't won't isn't aren't wasn't weren't
    """.replace("'", "’").split()
)
SECOND_PERSON: Final = frozenset({"you", "your", "yours", "yourself", "you're", "you’re"})
