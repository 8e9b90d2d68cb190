"""The independent plan checker: every hard rule of FORMAT.md, without a solver.

Whatever produced a plan (a solver, a person editing an exported CSV, an old
plan run), :func:`check_plan` re-checks it against the planning data from the
rows alone. It imports no solver and shares no code with the planning
services beyond :mod:`planner.dataset` (defaults, travel times, who travels
to a session) and :mod:`planner.plan` (the row tables), so a bug in a model
cannot hide itself here; :mod:`planner.messages` only writes its summary's
sentences (templates the web translates).

Rule 0 is the consistency of the plan files with the data (every id exists,
dates and sequence numbers make sense, everyone has a bed or a reason);
rules 1-11 are FORMAT.md's "Hard rules every exported plan keeps". Each
check is one function whose docstring quotes its rule; :data:`CHECKS` lists
them all, in order, and reads like the specification.

Example::

    report = check_plan(data, plan)
    if not report.ok:
        print(report.format())
"""

from __future__ import annotations

import gc
import time as _clock
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from planner.dataset import Dataset, Person, Room, Session, Shift
from planner.messages import DATE, N_, NUMBER, TOKEN, Choice, Joined, Message, MessageText, Series, Template, Text
from planner.plan import KINDS, Plan

#: The title of each rule, as a template (the web shows it in Chinese; see :data:`MESSAGES`).
RULE_TITLES: dict[int, Template] = {
    0: Template(N_("plan files agree with the data")),
    1: Template(N_("room capacity")),
    2: Template(N_("room mates share gender and delegation")),
    3: Template(N_("athletes and partners room apart from coaches, heads and staff")),
    4: Template(N_("accessible and ground-floor needs")),
    5: Template(N_("approved hotels, one room for the whole stay")),
    6: Template(N_("everyone travelling to a session is carried there in time and back")),
    7: Template(N_("seats and wheelchair places")),
    8: Template(N_("vehicle timing, daily window, depot, no overlapping trips")),
    9: Template(N_("longest ride")),
    10: Template(N_("volunteer shifts: availability, overlaps, hours, skills, languages, needed")),
    11: Template(N_("liaisons speak the delegation's language, one per delegation")),
}
RULES: dict[int, str] = {rule: title.text for rule, title in RULE_TITLES.items()}

# ------------------------------------------------------------------ the summary's sentences
#: How items of a list follow each other ("a, b"), as in the planning services.
LIST = N_("%(list)s, %(item)s")
KIND_WORDS: dict[str, Template] = {
    "accommodation": Template(N_("accommodation")),
    "transport": Template(N_("transport")),
    "volunteers": Template(N_("volunteers")),
}
#: The rows counted in the summary line, by the key of :attr:`CheckReport.counts`.
COUNT_WORDS: dict[str, Template] = {
    "beds": Template(N_("%(count)s beds"), count=NUMBER),
    "stops": Template(N_("%(count)s stops"), count=NUMBER),
    "passenger rides": Template(N_("%(count)s passenger rides"), count=NUMBER),
    "shift places": Template(N_("%(count)s shift places"), count=NUMBER),
    "liaisons": Template(N_("%(count)s liaisons"), count=NUMBER),
    "unassigned": Template(N_("%(count)s unassigned"), count=NUMBER),
}
NOTHING_CHECKED = Template(N_("nothing (the plan is empty)"))
_CHECKED_KINDS = Choice(NOTHING_CHECKED, other=Series(Choice(*KIND_WORDS.values(), other=Text(r"\w+")), ", ", LIST))
_SECONDS = Text(r"\d+\.\d")
CHECKED = Template(N_("Checked: %(kinds)s in %(seconds)s s."), kinds=_CHECKED_KINDS, seconds=_SECONDS)
CHECKED_COUNTED = Template(
    N_("Checked: %(kinds)s (%(counts)s) in %(seconds)s s."),
    kinds=_CHECKED_KINDS,
    counts=Series(Choice(*COUNT_WORDS.values()), ", ", LIST),
    seconds=_SECONDS,
)
ALL_RULES_HOLD = Template(N_("OK: every hard rule holds."))
RULES_BROKEN = Template(
    N_("NOT OK: %(violations)s violation(s) of %(rules)s rule(s)."), violations=NUMBER, rules=NUMBER
)
RULE_COUNT = Template(
    N_("Rule %(rule)s (%(title)s): %(count)s"),
    rule=NUMBER,
    title=Choice(*RULE_TITLES.values(), other=Text(r"\?")),
    count=NUMBER,
)
AND_MORE = Template(N_("... and %(count)s more"), count=NUMBER)
WARNINGS = Template(N_("Warnings: %(count)s"), count=NUMBER)
#: The lines of :meth:`CheckReport.format` other than the violations' and warnings' own messages.
SUMMARY: tuple[Template, ...] = (CHECKED_COUNTED, CHECKED, ALL_RULES_HOLD, RULES_BROKEN, RULE_COUNT, AND_MORE, WARNINGS)
#: The indent of an example line (a violation or warning message) and of "... and N more" in the summary.
EXAMPLE_PREFIX = "  - "
MORE_PREFIX = "  "

# ------------------------------------------------------------------ violations and warnings
_ID = TOKEN
_QUOTED = Text(r"'[^']*'|\"[^\"]*\"")
_IDS = Series(TOKEN, ", ", LIST)
_HOURS = Text(r"\d+(?:\.\d+)?")
_CLOCK = Text(r"\d{2}:\d{2}")
ROLE_WORDS: dict[str, Template] = {
    "athlete": Template(N_("athlete")),
    "partner": Template(N_("partner")),
    "coach": Template(N_("coach")),
    "head": Template(N_("head")),
    "staff": Template(N_("staff")),
}
UNASSIGNED_KIND = Template(
    N_("unassigned row %(row)s has kind %(kind)s; allowed: bed, ride, shift, liaison"), row=NUMBER, kind=_QUOTED
)
UNASSIGNED_TWICE = Template(N_("unassigned %(kind)s %(id)s is listed twice"), kind=_ID, id=_ID)
UNASSIGNED_NO_REASON = Template(N_("unassigned %(kind)s %(id)s gives no reason"), kind=_ID, id=_ID)
UNASSIGNED_BED_UNKNOWN = Template(N_("unassigned bed names %(person)s, who is not in people"), person=_QUOTED)
UNASSIGNED_RIDE_UNKNOWN = Template(N_("unassigned ride names %(person)s, who is not in people"), person=_QUOTED)
UNASSIGNED_RIDE_SESSION = Template(
    N_("unassigned ride %(id)s names session %(session)s, which is not in sessions"), id=_ID, session=_QUOTED
)
UNASSIGNED_SHIFT_UNKNOWN = Template(N_("unassigned shift names %(shift)s, which is not in shifts"), shift=_QUOTED)
UNASSIGNED_LIAISON_UNKNOWN = Template(
    N_("unassigned liaison names %(delegation)s, which is not in delegations"), delegation=_QUOTED
)
ROOMING_UNKNOWN_PERSON = Template(
    N_("rooming row %(row)s names person %(person)s, who is not in people"), row=NUMBER, person=_QUOTED
)
ROOMING_UNKNOWN_HOTEL = Template(
    N_("%(person)s is roomed in hotel %(hotel)s, which is not in hotels"), person=_ID, hotel=_QUOTED
)
ROOMING_UNKNOWN_ROOM = Template(
    N_("%(person)s is roomed in %(room)s, but hotel %(hotel)s has no room %(number)s"),
    person=_ID,
    room=_ID,
    hotel=_ID,
    number=_QUOTED,
)
STAY_DATES = Template(
    N_(
        "%(person)s checks in %(check_in)s and out %(check_out)s of %(room)s, "
        "but arrives %(arrival)s and departs %(departure)s"
    ),
    person=_ID,
    check_in=DATE,
    check_out=DATE,
    room=_ID,
    arrival=DATE,
    departure=DATE,
)
NO_BED = Template(N_("%(person)s (%(delegation)s) has no bed and no unassigned bed row"), person=_ID, delegation=_ID)
BED_AND_UNASSIGNED = Template(N_("%(person)s has a bed and is also listed as unassigned bed"), person=_ID)
ROOM_OVER_CAPACITY = Template(
    N_("room %(room)s holds %(count)s people on %(night)s but has %(beds)s bed(s): %(people)s"),
    room=_ID,
    count=NUMBER,
    night=DATE,
    beds=NUMBER,
    people=_IDS,
)
GENDERS_DIFFER = Template(N_("genders %(a)s and %(b)s"), a=_ID, b=_ID)
DELEGATIONS_DIFFER = Template(N_("delegations %(a)s and %(b)s"), a=_ID, b=_ID)
BOTH_DIFFER = Template(N_("genders %(a)s and %(b)s and delegations %(c)s and %(d)s"), a=_ID, b=_ID, c=_ID, d=_ID)
ROOM_MATES_DIFFER = Template(
    N_("room %(room)s puts %(a)s and %(b)s together on %(night)s with different %(what)s"),
    room=_ID,
    a=_ID,
    b=_ID,
    night=DATE,
    what=Choice(BOTH_DIFFER, GENDERS_DIFFER, DELEGATIONS_DIFFER),
)
_ROLE = Choice(*ROLE_WORDS.values(), other=_ID)
ATHLETE_WITH_ADULT = Template(
    N_("room %(room)s puts %(role_a)s %(a)s with %(role_b)s %(b)s on %(night)s"),
    room=_ID,
    role_a=_ROLE,
    a=_ID,
    role_b=_ROLE,
    b=_ID,
    night=DATE,
)
NOT_ACCESSIBLE = Template(
    N_("%(person)s needs an accessible room (%(need)s) but room %(room)s is not accessible"),
    person=_ID,
    need=_ID,
    room=_ID,
)
NOT_GROUND_FLOOR = Template(
    N_("%(person)s needs the ground floor but room %(room)s is on floor %(floor)s and not accessible"),
    person=_ID,
    room=_ID,
    floor=NUMBER,
)
HOTEL_NOT_APPROVED = Template(
    N_("%(person)s is roomed in hotel %(hotel)s, which is not approved"), person=_ID, hotel=_ID
)
SEVERAL_ROOMS = Template(
    N_("%(person)s has %(count)s rooming rows (%(rooms)s); one room for the whole stay"),
    person=_ID,
    count=NUMBER,
    rooms=_IDS,
)
ROSTER_UNKNOWN_VOLUNTEER = Template(
    N_("roster row %(row)s names volunteer %(volunteer)s, who is not in volunteers"), row=NUMBER, volunteer=_QUOTED
)
ROSTER_UNKNOWN_SHIFT = Template(
    N_("roster row %(row)s puts %(volunteer)s on shift %(shift)s, which is not in shifts"),
    row=NUMBER,
    volunteer=_ID,
    shift=_QUOTED,
)
ROSTERED_TWICE = Template(N_("%(volunteer)s is rostered twice on shift %(shift)s"), volunteer=_ID, shift=_ID)
LIAISONS_UNKNOWN_VOLUNTEER = Template(
    N_("liaisons row %(row)s names volunteer %(volunteer)s, who is not in volunteers"), row=NUMBER, volunteer=_QUOTED
)
LIAISONS_UNKNOWN_DELEGATION = Template(
    N_("liaisons row %(row)s names delegation %(delegation)s, which is not in delegations"),
    row=NUMBER,
    delegation=_QUOTED,
)
NOT_AVAILABLE = Template(
    N_("%(volunteer)s works shift %(shift)s on %(day)s but is available %(start)s to %(end)s"),
    volunteer=_ID,
    shift=_ID,
    day=DATE,
    start=DATE,
    end=DATE,
)
MISSING_SKILL = Template(
    N_("%(volunteer)s works shift %(shift)s without the required skill(s) %(skills)s"),
    volunteer=_ID,
    shift=_ID,
    skills=_IDS,
)
MISSING_LANGUAGE = Template(
    N_("%(volunteer)s works shift %(shift)s speaking none of %(needed)s (speaks %(spoken)s)"),
    volunteer=_ID,
    shift=_ID,
    needed=_IDS,
    spoken=_IDS,
)
SHIFTS_OVERLAP = Template(
    N_(
        "%(volunteer)s works shifts %(a)s (%(a_start)s-%(a_end)s) and %(b)s (%(b_start)s-%(b_end)s) "
        "at the same time on %(day)s"
    ),
    volunteer=_ID,
    a=_ID,
    a_start=_CLOCK,
    a_end=_CLOCK,
    b=_ID,
    b_start=_CLOCK,
    b_end=_CLOCK,
    day=DATE,
)
TOO_MANY_HOURS = Template(
    N_("%(volunteer)s works %(hours)s h on %(day)s but at most %(most)s h a day"),
    volunteer=_ID,
    hours=_HOURS,
    day=DATE,
    most=_HOURS,
)
OVER_STAFFED = Template(
    N_("shift %(shift)s has %(count)s volunteers but needs %(needed)s"), shift=_ID, count=NUMBER, needed=NUMBER
)
LIAISON_NOT_AVAILABLE = Template(
    N_(
        "liaison %(volunteer)s of %(delegation)s is available %(start)s to %(end)s, "
        "but %(delegation)s stays %(first)s to %(last)s"
    ),
    volunteer=_ID,
    delegation=_ID,
    start=DATE,
    end=DATE,
    first=DATE,
    last=DATE,
)
LIAISON_TWO_DELEGATIONS = Template(
    N_("liaison %(volunteer)s serves %(a)s (until %(a_last)s) and %(b)s (from %(b_first)s) at the same time"),
    volunteer=_ID,
    a=_ID,
    a_last=DATE,
    b=_ID,
    b_first=DATE,
)
LIAISON_ON_SHIFT = Template(
    N_("liaison %(volunteer)s of %(delegation)s also works shift %(shift)s on %(day)s, during %(delegation)s's stay"),
    volunteer=_ID,
    delegation=_ID,
    shift=_ID,
    day=DATE,
)
LIAISON_LANGUAGE = Template(
    N_("liaison %(volunteer)s speaks %(spoken)s but %(delegation)s speaks %(needed)s"),
    volunteer=_ID,
    spoken=_IDS,
    delegation=_ID,
    needed=_IDS,
)
SEVERAL_LIAISONS = Template(
    N_("delegation %(delegation)s has %(count)s liaisons (%(volunteers)s); one is allowed"),
    delegation=_ID,
    count=NUMBER,
    volunteers=_IDS,
)
SHORT_SHIFT_UNLISTED = Template(
    N_("shift %(shift)s is %(short)s volunteer(s) short and has no unassigned shift row"), shift=_ID, short=NUMBER
)
LIAISON_UNLISTED = Template(
    N_("delegation %(delegation)s has no liaison and no unassigned liaison row"), delegation=_ID
)
# transport
_MOMENT = Text(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")
_SEQ = Text(r"-?\d+")
TRIP_NAME = Template(N_("vehicle %(vehicle)s trip %(trip)s"), vehicle=_ID, trip=_ID)
STOP_NAME = Template(N_("stop %(seq)s (%(place)s)"), seq=_SEQ, place=_ID)
_TRIP = Choice(TRIP_NAME)
_STOP = Choice(STOP_NAME)
TRANSPORT_UNKNOWN_VEHICLE = Template(
    N_("transport row %(row)s names vehicle %(vehicle)s, which is not in vehicles"), row=NUMBER, vehicle=_QUOTED
)
TRANSPORT_BAD_VALUE = Template(
    N_("vehicle %(vehicle)s trip %(trip)s row %(row)s: %(error)s"), vehicle=_ID, trip=_ID, row=NUMBER
)
OTHER_DEPOT = Template(N_("another vehicle's depot"))
NOT_A_PLACE = Template(N_("not a hotel, a venue or the vehicle's own id"))
UNKNOWN_PLACE = Template(
    N_("vehicle %(vehicle)s trip %(trip)s stop %(seq)s is at %(place)s: %(what)s"),
    vehicle=_ID,
    trip=_ID,
    seq=_SEQ,
    place=_QUOTED,
    what=Choice(OTHER_DEPOT, NOT_A_PLACE),
)
STOP_UNKNOWN_SESSION = Template(
    N_("vehicle %(vehicle)s trip %(trip)s stop %(seq)s serves session %(session)s, which is not in sessions"),
    vehicle=_ID,
    trip=_ID,
    seq=_SEQ,
    session=_QUOTED,
)
DUPLICATE_SEQ = Template(
    N_("vehicle %(vehicle)s trip %(trip)s has two stops numbered %(seq)s"), vehicle=_ID, trip=_ID, seq=_SEQ
)
TRIP_TOO_SHORT = Template(N_("%(trip)s has only one stop"), trip=_TRIP)
STOP_TIME_MISSING = Template(
    N_("%(trip)s %(stop)s has no %(times)s time (only a trip's ends may leave one empty)"),
    trip=_TRIP,
    stop=_STOP,
    times=Text(r"arrive or depart|arrive|depart"),
)
MANIFEST_UNKNOWN_TRIP = Template(
    N_("manifest row %(row)s puts %(person)s on vehicle %(vehicle)s trip %(trip)s, which has no stops in transport"),
    row=NUMBER,
    person=_ID,
    vehicle=_ID,
    trip=_ID,
)
MANIFEST_UNKNOWN_PERSON = Template(
    N_("manifest of %(trip)s names %(person)s, who is not in people"), trip=_TRIP, person=_QUOTED
)
DUPLICATE_PASSENGER = Template(N_("%(person)s is listed twice on %(trip)s"), person=_ID, trip=_TRIP)
MANIFEST_BAD_VALUE = Template(N_("manifest of %(trip)s for %(person)s: %(error)s"), trip=_TRIP, person=_ID)
UNKNOWN_STOP = Template(
    N_("%(person)s rides %(trip)s from stop %(board)s to stop %(alight)s, but the trip has no stop %(absent)s"),
    person=_ID,
    trip=_TRIP,
    board=_SEQ,
    alight=_SEQ,
    absent=_SEQ,
)
BOARD_AFTER_ALIGHT = Template(
    N_("%(person)s boards %(trip)s at stop %(board)s but alights at stop %(alight)s"),
    person=_ID,
    trip=_TRIP,
    board=_SEQ,
    alight=_SEQ,
)
RIDES_OVERLAP = Template(
    N_("%(person)s boards %(trip)s at %(boards)s before leaving %(previous)s at %(leaves)s"),
    person=_ID,
    trip=_TRIP,
    boards=_MOMENT,
    previous=_TRIP,
    leaves=_MOMENT,
)
RIDE_NOT_CONNECTED = Template(
    N_("%(person)s boards %(trip)s at %(place)s, but their previous ride (%(previous)s) set them down at %(left)s"),
    person=_ID,
    trip=_TRIP,
    place=_ID,
    previous=_TRIP,
    left=_ID,
)
HOTELS_UNKNOWN = Template(N_("the plan has no rooming rows, so rides were accepted from and to any hotel"))
ANY_HOTEL = Template(N_("a hotel"))
HOTELS_OF = Template(N_("hotel %(hotels)s"), hotels=_ID)
NO_HOTEL = Template(N_("their hotel (they have no bed)"))
_WHERE = Choice(ANY_HOTEL, NO_HOTEL, HOTELS_OF)
PICKS_UP_AT = Template(N_("%(trip)s picks them up at %(place)s"), trip=_TRIP, place=_ID)
ARRIVES_AT = Template(N_("%(trip)s arrives %(moment)s"), trip=_TRIP, moment=_MOMENT)
LEAVES_VENUE_AT = Template(N_("%(trip)s leaves the venue at %(moment)s"), trip=_TRIP, moment=_MOMENT)
TAKES_THEM_TO = Template(N_("%(trip)s takes them to %(place)s"), trip=_TRIP, place=_ID)
NO_RIDE_THERE = Template(
    N_(
        "%(person)s (%(delegation)s) has no ride from %(where)s to session %(session)s at %(venue)s "
        "arriving by %(deadline)s, and no unassigned ride row"
    ),
    person=_ID,
    delegation=_ID,
    where=_WHERE,
    session=_ID,
    venue=_ID,
    deadline=_MOMENT,
)
NO_RIDE_THERE_MISSED = Template(
    N_(
        "%(person)s (%(delegation)s) has no ride from %(where)s to session %(session)s at %(venue)s "
        "arriving by %(deadline)s (%(missed)s), and no unassigned ride row"
    ),
    person=_ID,
    delegation=_ID,
    where=_WHERE,
    session=_ID,
    venue=_ID,
    deadline=_MOMENT,
    missed=Choice(PICKS_UP_AT, ARRIVES_AT),
)
NO_RIDE_BACK = Template(
    N_(
        "%(person)s (%(delegation)s) has no ride back from session %(session)s at %(venue)s "
        "leaving after %(ends)s to %(where)s, and no unassigned ride row"
    ),
    person=_ID,
    delegation=_ID,
    session=_ID,
    venue=_ID,
    ends=_MOMENT,
    where=_WHERE,
)
NO_RIDE_BACK_MISSED = Template(
    N_(
        "%(person)s (%(delegation)s) has no ride back from session %(session)s at %(venue)s "
        "leaving after %(ends)s to %(where)s (%(missed)s), and no unassigned ride row"
    ),
    person=_ID,
    delegation=_ID,
    session=_ID,
    venue=_ID,
    ends=_MOMENT,
    where=_WHERE,
    missed=Choice(LEAVES_VENUE_AT, TAKES_THEM_TO),
)
SEATS_EXCEEDED = Template(
    N_("%(trip)s carries %(count)s seated passengers between %(a)s and %(b)s but has %(seats)s seats"),
    trip=_TRIP,
    count=NUMBER,
    a=_STOP,
    b=_STOP,
    seats=NUMBER,
)
WHEELCHAIR_PLACES_EXCEEDED = Template(
    N_("%(trip)s carries %(count)s wheelchair user(s) between %(a)s and %(b)s but has %(places)s wheelchair place(s)"),
    trip=_TRIP,
    count=NUMBER,
    a=_STOP,
    b=_STOP,
    places=NUMBER,
)
DEPARTS_BEFORE_ARRIVING = Template(
    N_("%(trip)s %(stop)s departs %(departs)s before it arrives %(arrives)s"),
    trip=_TRIP,
    stop=_STOP,
    departs=_MOMENT,
    arrives=_MOMENT,
)
OUTSIDE_WINDOW = Template(
    N_("%(trip)s %(stop)s at %(moment)s is outside the vehicle's window %(start)s-%(end)s"),
    trip=_TRIP,
    stop=_STOP,
    moment=_MOMENT,
    start=_CLOCK,
    end=_CLOCK,
)
TOO_FAST = Template(
    N_(
        "%(trip)s leaves %(a)s at %(leaves)s and reaches %(b)s at %(reaches)s: "
        "%(minutes)s min, but the trip takes %(need)s min"
    ),
    trip=_TRIP,
    a=_STOP,
    leaves=_MOMENT,
    b=_STOP,
    reaches=_MOMENT,
    minutes=_SEQ,
    need=NUMBER,
)
NOT_FROM_DEPOT = Template(
    N_("vehicle %(vehicle)s starts %(day)s at %(place)s (%(trip)s), not at its depot %(depot)s"),
    vehicle=_ID,
    day=DATE,
    place=_ID,
    trip=_TRIP,
    depot=_ID,
)
NOT_BACK_TO_DEPOT = Template(
    N_("vehicle %(vehicle)s ends %(day)s at %(place)s (%(trip)s), not at its depot %(depot)s"),
    vehicle=_ID,
    day=DATE,
    place=_ID,
    trip=_TRIP,
    depot=_ID,
)
TRIPS_OVERLAP = Template(
    N_("vehicle %(vehicle)s trip %(trip)s starts at %(starts)s before trip %(previous)s ends at %(ends)s"),
    vehicle=_ID,
    trip=_ID,
    starts=_MOMENT,
    previous=_ID,
    ends=_MOMENT,
)
TOO_FAST_BETWEEN_TRIPS = Template(
    N_(
        "vehicle %(vehicle)s ends trip %(previous)s at %(a)s at %(ends)s and starts trip %(trip)s "
        "at %(b)s at %(starts)s: %(minutes)s min, but the drive takes %(need)s min"
    ),
    vehicle=_ID,
    previous=_ID,
    a=_ID,
    ends=_MOMENT,
    trip=_ID,
    b=_ID,
    starts=_MOMENT,
    minutes=_SEQ,
    need=NUMBER,
)
RIDE_TOO_LONG = Template(
    N_(
        "%(person)s rides %(trip)s for %(minutes)s min (from %(a)s at %(boards)s "
        "to %(b)s at %(alights)s), longer than %(limit)s min"
    ),
    person=_ID,
    trip=_TRIP,
    minutes=NUMBER,
    a=_STOP,
    boards=_MOMENT,
    b=_STOP,
    alights=_MOMENT,
    limit=NUMBER,
)
TRANSPORT_VIOLATIONS: tuple[Template, ...] = (
    TRANSPORT_UNKNOWN_VEHICLE,
    TRANSPORT_BAD_VALUE,
    UNKNOWN_PLACE,
    STOP_UNKNOWN_SESSION,
    DUPLICATE_SEQ,
    TRIP_TOO_SHORT,
    STOP_TIME_MISSING,
    MANIFEST_UNKNOWN_TRIP,
    MANIFEST_UNKNOWN_PERSON,
    DUPLICATE_PASSENGER,
    MANIFEST_BAD_VALUE,
    UNKNOWN_STOP,
    BOARD_AFTER_ALIGHT,
    RIDES_OVERLAP,
    RIDE_NOT_CONNECTED,
    HOTELS_UNKNOWN,
    NO_RIDE_THERE,
    NO_RIDE_THERE_MISSED,
    NO_RIDE_BACK,
    NO_RIDE_BACK_MISSED,
    SEATS_EXCEEDED,
    WHEELCHAIR_PLACES_EXCEEDED,
    DEPARTS_BEFORE_ARRIVING,
    OUTSIDE_WINDOW,
    TOO_FAST,
    NOT_FROM_DEPOT,
    NOT_BACK_TO_DEPOT,
    TRIPS_OVERLAP,
    TOO_FAST_BETWEEN_TRIPS,
    RIDE_TOO_LONG,
)

#: The messages of violations and warnings, for the web.
VIOLATIONS: tuple[Template, ...] = (
    UNASSIGNED_KIND,
    UNASSIGNED_TWICE,
    UNASSIGNED_NO_REASON,
    UNASSIGNED_BED_UNKNOWN,
    UNASSIGNED_RIDE_UNKNOWN,
    UNASSIGNED_RIDE_SESSION,
    UNASSIGNED_SHIFT_UNKNOWN,
    UNASSIGNED_LIAISON_UNKNOWN,
    ROOMING_UNKNOWN_PERSON,
    ROOMING_UNKNOWN_HOTEL,
    ROOMING_UNKNOWN_ROOM,
    STAY_DATES,
    NO_BED,
    BED_AND_UNASSIGNED,
    ROOM_OVER_CAPACITY,
    ROOM_MATES_DIFFER,
    ATHLETE_WITH_ADULT,
    NOT_ACCESSIBLE,
    NOT_GROUND_FLOOR,
    HOTEL_NOT_APPROVED,
    SEVERAL_ROOMS,
    ROSTER_UNKNOWN_VOLUNTEER,
    ROSTER_UNKNOWN_SHIFT,
    ROSTERED_TWICE,
    LIAISONS_UNKNOWN_VOLUNTEER,
    LIAISONS_UNKNOWN_DELEGATION,
    NOT_AVAILABLE,
    MISSING_SKILL,
    MISSING_LANGUAGE,
    SHIFTS_OVERLAP,
    TOO_MANY_HOURS,
    OVER_STAFFED,
    LIAISON_NOT_AVAILABLE,
    LIAISON_TWO_DELEGATIONS,
    LIAISON_ON_SHIFT,
    LIAISON_LANGUAGE,
    SEVERAL_LIAISONS,
    SHORT_SHIFT_UNLISTED,
    LIAISON_UNLISTED,
    *TRANSPORT_VIOLATIONS,
)


def _role(role: str) -> Message | str:
    return ROLE_WORDS[role]() if role in ROLE_WORDS else role


def _say(template: Template, **values: Any) -> str:
    """A violation's message: the English of ``template`` that keeps it (:class:`~planner.messages.MessageText`)."""
    return MessageText(template(**values))


MESSAGES: tuple[Template, ...] = (*SUMMARY, *RULE_TITLES.values(), *VIOLATIONS)
"""Every sentence of this module, for :func:`planner.messages.recognise`."""

MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True)
class Violation:
    """One broken rule (or, in :attr:`CheckReport.warnings`, one thing worth a look).

    Attributes:
        rule: the FORMAT.md hard rule number, 1-11; 0 for plan-file consistency.
        code: a short stable name of the kind of problem (``room_over_capacity``).
        message: plain English naming the ids involved.
        ids: the ids involved (people, rooms as ``hotel/room``, vehicles, trips...).
    """

    rule: int
    code: str
    message: str
    ids: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.message


@dataclass
class CheckReport:
    """The result of :func:`check_plan`.

    Attributes:
        violations: every broken hard rule; the plan is wrong if any.
        warnings: things that are allowed but worth a look (e.g. a short
            shift with no ``unassigned`` row saying so).
        kinds: the planning areas that were checked.
        counts: how many rows of each kind were checked (for the summary line).
        seconds: how long the check took.
    """

    violations: list[Violation] = field(default_factory=list)
    warnings: list[Violation] = field(default_factory=list)
    kinds: tuple[str, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when no hard rule is broken (warnings do not count)."""
        return not self.violations

    def by_rule(self) -> dict[int, list[Violation]]:
        """Violations grouped by rule number, in rule order."""
        out: dict[int, list[Violation]] = {}
        for v in sorted(self.violations, key=lambda v: v.rule):
            out.setdefault(v.rule, []).append(v)
        return out

    def rules_broken(self) -> set[int]:
        """The numbers of the rules with at least one violation."""
        return {v.rule for v in self.violations}

    def format(self, max_examples: int = 5) -> str:
        """A plain-text report: per rule a count and up to ``max_examples`` examples.

        Each line is a sentence of :data:`SUMMARY`, or an example (a violation's
        or warning's message) after :data:`EXAMPLE_PREFIX`.
        """
        kinds: Any = (
            Joined(tuple(KIND_WORDS[k]() if k in KIND_WORDS else k for k in self.kinds), LIST)
            if self.kinds
            else NOTHING_CHECKED()
        )
        counted = [
            COUNT_WORDS[what](count=f"{n:,}") if what in COUNT_WORDS else f"{n:,} {what}"
            for what, n in self.counts.items()
            if n
        ]
        seconds = f"{self.seconds:.1f}"
        lines: list[Message | str] = [
            CHECKED_COUNTED(kinds=kinds, counts=Joined(tuple(counted), LIST), seconds=seconds)
            if counted
            else CHECKED(kinds=kinds, seconds=seconds)
        ]
        if self.ok:
            lines.append(ALL_RULES_HOLD())
        else:
            groups = self.by_rule()
            lines.append(RULES_BROKEN(violations=f"{len(self.violations):,}", rules=len(groups)))
            for rule, items in groups.items():
                title = RULE_TITLES[rule]() if rule in RULE_TITLES else "?"
                lines.append(RULE_COUNT(rule=rule, title=title, count=f"{len(items):,}"))
                lines.extend(f"{EXAMPLE_PREFIX}{v.message}" for v in items[:max_examples])
                if len(items) > max_examples:
                    lines.append(f"{MORE_PREFIX}{AND_MORE(count=f'{len(items) - max_examples:,}')}")
        if self.warnings:
            lines.append(WARNINGS(count=f"{len(self.warnings):,}"))
            lines.extend(f"{EXAMPLE_PREFIX}{w.message}" for w in self.warnings[:max_examples])
            if len(self.warnings) > max_examples:
                lines.append(f"{MORE_PREFIX}{AND_MORE(count=f'{len(self.warnings) - max_examples:,}')}")
        return "\n".join(str(line) for line in lines)

    def __str__(self) -> str:
        return self.format()


# ----------------------------------------------------------------- values


def _stamp(moment: datetime) -> int:
    """Minutes since 0001-01-01 00:00: one integer time line across days."""
    return moment.toordinal() * MINUTES_PER_DAY + moment.hour * 60 + moment.minute


def _show(stamp: int) -> str:
    """``YYYY-MM-DD HH:MM`` of a minute stamp."""
    day = date.fromordinal(stamp // MINUTES_PER_DAY)
    minute = stamp % MINUTES_PER_DAY
    return f"{day.isoformat()} {minute // 60:02d}:{minute % 60:02d}"


def _day_stamp(day: date, minute_of_day: int) -> int:
    return day.toordinal() * MINUTES_PER_DAY + minute_of_day


def _hhmm(minute_of_day: int) -> str:
    return f"{minute_of_day // 60:02d}:{minute_of_day % 60:02d}"


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value.strip())
    raise ValueError(f"not a date: {value!r}")


def _as_datetime(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        return datetime.fromisoformat(value.strip())
    raise ValueError(f"not a date and time: {value!r}")


def _as_int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(f"not a whole number: {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        return int(value)
    raise ValueError(f"not a whole number: {value!r}")


def _text(value: Any) -> str:
    return "" if value is None else str(value)


# ------------------------------------------------------------ plan index


@dataclass(slots=True)
class _Stay:
    """A usable rooming row."""

    person: Person
    room: Room
    check_in: date
    check_out: date

    @property
    def room_id(self) -> str:
        return f"{self.room.hotel}/{self.room.room}"

    def nights(self) -> Iterator[date]:
        day = self.check_in
        while day < self.check_out:
            yield day
            day += timedelta(days=1)


@dataclass(slots=True)
class _Stop:
    """A usable transport row; times as minute stamps."""

    seq: int
    place: str
    arrive: int | None
    depart: int | None
    session: str | None
    place_ok: bool

    def describe(self) -> str:
        return str(self.title())

    def title(self) -> Message:
        return STOP_NAME(seq=self.seq, place=self.place)


@dataclass(slots=True)
class _Trip:
    vehicle: str
    trip: str
    stops: list[_Stop] = field(default_factory=list)
    by_seq: dict[int, _Stop] = field(default_factory=dict)
    timed: bool = True  # every stop has the times its position needs

    @property
    def name(self) -> str:
        return str(self.title())

    def title(self) -> Message:
        return TRIP_NAME(vehicle=self.vehicle, trip=self.trip)

    @property
    def start(self) -> int | None:
        first = self.stops[0]
        return first.arrive if first.arrive is not None else first.depart

    @property
    def end(self) -> int | None:
        last = self.stops[-1]
        return last.depart if last.depart is not None else last.arrive


@dataclass(slots=True)
class _Leg:
    """One manifest row: a person riding a trip from one stop to a later one."""

    person: Person
    trip: _Trip
    board: _Stop
    alight: _Stop

    @property
    def timed(self) -> bool:
        return self.board.depart is not None and self.alight.arrive is not None


class _Context:
    """The plan's rows read once into dictionaries; file problems collected per kind."""

    def __init__(self, data: Dataset, plan: Plan, kinds: tuple[str, ...]) -> None:
        self.data = data
        self.plan = plan
        self.kinds = kinds
        self.warnings: list[Violation] = []
        self.file_problems: dict[str, list[Violation]] = defaultdict(list)
        self.rooms: dict[tuple[str, str], Room] = {(r.hotel, r.room): r for r in data.rooms}
        self.unassigned: dict[str, set[str]] = defaultdict(set)
        self.stays: list[_Stay] = []
        self.stays_by_person: dict[str, list[_Stay]] = defaultdict(list)
        self.stays_by_room: dict[tuple[str, str], list[_Stay]] | None = None
        self.trips: dict[tuple[str, str], _Trip] = {}
        self.legs: list[_Leg] = []
        self.legs_by_person: dict[str, list[_Leg]] = defaultdict(list)
        self.legs_by_trip: dict[tuple[str, str], list[_Leg]] = defaultdict(list)
        self.roster: list[tuple[str, Shift]] = []  # (volunteer id, shift)
        self.liaisons: list[tuple[str, str]] = []  # (volunteer id, delegation id)
        self._travel: dict[tuple[str, str], int] = {}
        self._read_unassigned()
        self._read_rooming()
        self._read_transport()
        self._read_manifest()
        self._read_roster()
        self._read_liaisons()

    # -- helpers
    def travel_min(self, origin: str, destination: str) -> int:
        """The dataset's travel time, remembered per pair (vehicles pass the same pairs often)."""
        key = (origin, destination)
        known = self._travel.get(key)
        if known is None:
            known = self._travel[key] = self.data.travel_min(origin, destination)
        return known

    def problem(self, kind: str, code: str, message: str, *ids: str) -> None:
        self.file_problems[kind].append(Violation(0, code, message, tuple(ids)))

    def warn(self, rule: int, code: str, message: str, *ids: str) -> None:
        self.warnings.append(Violation(rule, code, message, tuple(ids)))

    # -- readers
    def _read_unassigned(self) -> None:
        data = self.data
        owner = {"bed": "accommodation", "ride": "transport", "shift": "volunteers", "liaison": "volunteers"}
        seen: set[tuple[str, str]] = set()
        for n, row in enumerate(self.plan.unassigned, start=1):
            kind, ident, reason = _text(row.get("kind")), _text(row.get("id")), _text(row.get("reason")).strip()
            area = owner.get(kind)
            if area is None:
                self.problem(
                    "unassigned",
                    "unassigned_unknown_kind",
                    _say(UNASSIGNED_KIND, row=n, kind=repr(kind)),
                    ident,
                )
                continue
            if (kind, ident) in seen:
                self.warn(0, "unassigned_duplicate", _say(UNASSIGNED_TWICE, kind=kind, id=ident), ident)
            seen.add((kind, ident))
            if not reason:
                self.problem(area, "unassigned_no_reason", _say(UNASSIGNED_NO_REASON, kind=kind, id=ident), ident)
            if kind == "bed" and ident not in data.people:
                self.problem(area, "unknown_person", _say(UNASSIGNED_BED_UNKNOWN, person=repr(ident)), ident)
            elif kind == "ride":
                person, _, session = ident.partition(":")
                if person not in data.people:
                    self.problem(area, "unknown_person", _say(UNASSIGNED_RIDE_UNKNOWN, person=repr(person)), ident)
                if session and session not in data.sessions:
                    self.problem(
                        area,
                        "unknown_session",
                        _say(UNASSIGNED_RIDE_SESSION, id=ident, session=repr(session)),
                        ident,
                    )
            elif kind == "shift" and ident not in data.shifts:
                self.problem(area, "unknown_shift", _say(UNASSIGNED_SHIFT_UNKNOWN, shift=repr(ident)), ident)
            elif kind == "liaison" and ident not in data.delegations:
                self.problem(
                    area,
                    "unknown_delegation",
                    _say(UNASSIGNED_LIAISON_UNKNOWN, delegation=repr(ident)),
                    ident,
                )
            self.unassigned[kind].add(ident)

    def _read_rooming(self) -> None:
        data = self.data
        for n, row in enumerate(self.plan.rooming, start=1):
            pid, hotel, room = _text(row.get("person")), _text(row.get("hotel")), _text(row.get("room"))
            person = data.people.get(pid)
            if person is None:
                self.problem(
                    "accommodation",
                    "unknown_person",
                    _say(ROOMING_UNKNOWN_PERSON, row=n, person=repr(pid)),
                    pid,
                )
                continue
            if hotel not in data.hotels:
                self.problem(
                    "accommodation",
                    "unknown_hotel",
                    _say(ROOMING_UNKNOWN_HOTEL, person=pid, hotel=repr(hotel)),
                    pid,
                    hotel,
                )
                continue
            the_room = self.rooms.get((hotel, room))
            if the_room is None:
                self.problem(
                    "accommodation",
                    "unknown_room",
                    _say(ROOMING_UNKNOWN_ROOM, person=pid, room=f"{hotel}/{room}", hotel=hotel, number=repr(room)),
                    pid,
                    f"{hotel}/{room}",
                )
                continue
            try:
                check_in, check_out = _as_date(row.get("check_in")), _as_date(row.get("check_out"))
            except ValueError as e:
                self.problem("accommodation", "bad_dates", f"rooming of {pid}: {e}", pid)
                continue
            if (check_in, check_out) != (person.arrival_date, person.departure_date):
                self.problem(
                    "accommodation",
                    "stay_dates",
                    _say(
                        STAY_DATES,
                        person=pid,
                        check_in=check_in,
                        check_out=check_out,
                        room=f"{hotel}/{room}",
                        arrival=person.arrival_date,
                        departure=person.departure_date,
                    ),
                    pid,
                )
            if check_out <= check_in:
                continue
            stay = _Stay(person, the_room, check_in, check_out)
            self.stays.append(stay)
            self.stays_by_person[pid].append(stay)

    def _read_transport(self) -> None:
        data = self.data
        for n, row in enumerate(self.plan.transport, start=1):
            vehicle, trip, place = _text(row.get("vehicle")), _text(row.get("trip")), _text(row.get("place"))
            if vehicle not in data.vehicles:
                self.problem(
                    "transport",
                    "unknown_vehicle",
                    _say(TRANSPORT_UNKNOWN_VEHICLE, row=n, vehicle=repr(vehicle)),
                    vehicle,
                )
                continue
            try:
                seq = _as_int(row.get("seq"))
                arrive_at, depart_at = _as_datetime(row.get("arrive")), _as_datetime(row.get("depart"))
            except ValueError as e:
                self.problem(
                    "transport",
                    "bad_value",
                    _say(TRANSPORT_BAD_VALUE, vehicle=vehicle, trip=trip, row=n, error=e),
                    vehicle,
                    trip,
                )
                continue
            place_ok = place in data.hotels or place in data.venues or place == vehicle
            if not place_ok:
                what = OTHER_DEPOT() if place in data.vehicles else NOT_A_PLACE()
                self.problem(
                    "transport",
                    "unknown_place",
                    _say(UNKNOWN_PLACE, vehicle=vehicle, trip=trip, seq=seq, place=repr(place), what=what),
                    vehicle,
                    trip,
                    place,
                )
            session = _text(row.get("session")) or None
            if session is not None and session not in data.sessions:
                self.problem(
                    "transport",
                    "unknown_session",
                    _say(STOP_UNKNOWN_SESSION, vehicle=vehicle, trip=trip, seq=seq, session=repr(session)),
                    vehicle,
                    trip,
                    session,
                )
                session = None
            the_trip = self.trips.setdefault((vehicle, trip), _Trip(vehicle, trip))
            if seq in the_trip.by_seq:
                self.problem(
                    "transport",
                    "duplicate_seq",
                    _say(DUPLICATE_SEQ, vehicle=vehicle, trip=trip, seq=seq),
                    vehicle,
                    trip,
                )
                continue
            stop = _Stop(
                seq,
                place,
                None if arrive_at is None else _stamp(arrive_at),
                None if depart_at is None else _stamp(depart_at),
                session,
                place_ok,
            )
            the_trip.stops.append(stop)
            the_trip.by_seq[seq] = stop
        for the_trip in self.trips.values():
            the_trip.stops.sort(key=lambda s: s.seq)
            if len(the_trip.stops) < 2:
                self.problem(
                    "transport",
                    "trip_too_short",
                    _say(TRIP_TOO_SHORT, trip=the_trip.title()),
                    the_trip.vehicle,
                    the_trip.trip,
                )
            last = len(the_trip.stops) - 1
            for i, stop in enumerate(the_trip.stops):
                missing = []
                if stop.arrive is None and i > 0:
                    missing.append("arrive")
                if stop.depart is None and i < last:
                    missing.append("depart")
                if missing:
                    the_trip.timed = False
                    self.problem(
                        "transport",
                        "stop_time_missing",
                        _say(STOP_TIME_MISSING, trip=the_trip.title(), stop=stop.title(), times=" or ".join(missing)),
                        the_trip.vehicle,
                        the_trip.trip,
                    )

    def _read_manifest(self) -> None:
        data = self.data
        seen: set[tuple[str, str, str]] = set()
        for n, row in enumerate(self.plan.manifest, start=1):
            vehicle, trip, pid = _text(row.get("vehicle")), _text(row.get("trip")), _text(row.get("person"))
            the_trip = self.trips.get((vehicle, trip))
            person = data.people.get(pid)
            if the_trip is None:
                self.problem(
                    "transport",
                    "unknown_trip",
                    _say(MANIFEST_UNKNOWN_TRIP, row=n, person=pid, vehicle=vehicle, trip=trip),
                    vehicle,
                    trip,
                    pid,
                )
                continue
            if person is None:
                self.problem(
                    "transport",
                    "unknown_person",
                    _say(MANIFEST_UNKNOWN_PERSON, trip=the_trip.title(), person=repr(pid)),
                    vehicle,
                    trip,
                    pid,
                )
                continue
            if (vehicle, trip, pid) in seen:
                self.problem(
                    "transport",
                    "duplicate_passenger",
                    _say(DUPLICATE_PASSENGER, person=pid, trip=the_trip.title()),
                    vehicle,
                    trip,
                    pid,
                )
                continue
            seen.add((vehicle, trip, pid))
            try:
                board_seq, alight_seq = _as_int(row.get("board_seq")), _as_int(row.get("alight_seq"))
            except ValueError as e:
                self.problem(
                    "transport",
                    "bad_value",
                    _say(MANIFEST_BAD_VALUE, trip=the_trip.title(), person=pid, error=e),
                    vehicle,
                    trip,
                    pid,
                )
                continue
            board, alight = the_trip.by_seq.get(board_seq), the_trip.by_seq.get(alight_seq)
            if board is None or alight is None:
                absent = board_seq if board is None else alight_seq
                self.problem(
                    "transport",
                    "unknown_stop",
                    _say(
                        UNKNOWN_STOP,
                        person=pid,
                        trip=the_trip.title(),
                        board=board_seq,
                        alight=alight_seq,
                        absent=absent,
                    ),
                    vehicle,
                    trip,
                    pid,
                )
                continue
            if board_seq >= alight_seq:
                self.problem(
                    "transport",
                    "board_after_alight",
                    _say(BOARD_AFTER_ALIGHT, person=pid, trip=the_trip.title(), board=board_seq, alight=alight_seq),
                    vehicle,
                    trip,
                    pid,
                )
                continue
            leg = _Leg(person, the_trip, board, alight)
            self.legs.append(leg)
            self.legs_by_person[pid].append(leg)
            self.legs_by_trip[(vehicle, trip)].append(leg)

    def _read_roster(self) -> None:
        data = self.data
        seen: set[tuple[str, str]] = set()
        for n, row in enumerate(self.plan.roster, start=1):
            vid, sid = _text(row.get("volunteer")), _text(row.get("shift"))
            if vid not in data.volunteers:
                self.problem(
                    "volunteers",
                    "unknown_volunteer",
                    _say(ROSTER_UNKNOWN_VOLUNTEER, row=n, volunteer=repr(vid)),
                    vid,
                )
                continue
            shift = data.shifts.get(sid)
            if shift is None:
                self.problem(
                    "volunteers",
                    "unknown_shift",
                    _say(ROSTER_UNKNOWN_SHIFT, row=n, volunteer=vid, shift=repr(sid)),
                    vid,
                    sid,
                )
                continue
            if (vid, sid) in seen:
                self.problem("volunteers", "duplicate_roster", _say(ROSTERED_TWICE, volunteer=vid, shift=sid), vid, sid)
                continue
            seen.add((vid, sid))
            self.roster.append((vid, shift))

    def _read_liaisons(self) -> None:
        data = self.data
        for n, row in enumerate(self.plan.liaisons, start=1):
            vid, did = _text(row.get("volunteer")), _text(row.get("delegation"))
            if vid not in data.volunteers:
                self.problem(
                    "volunteers",
                    "unknown_volunteer",
                    _say(LIAISONS_UNKNOWN_VOLUNTEER, row=n, volunteer=repr(vid)),
                    vid,
                )
                continue
            if did not in data.delegations:
                self.problem(
                    "volunteers",
                    "unknown_delegation",
                    _say(LIAISONS_UNKNOWN_DELEGATION, row=n, delegation=repr(did)),
                    did,
                )
                continue
            self.liaisons.append((vid, did))


# ---------------------------------------------------- plan-file consistency


def check_plan_files(ctx: _Context) -> Iterator[Violation]:
    """Consistency: every id a plan row names exists and each row makes sense.

    Persons, hotels, rooms, vehicles, sessions, volunteers, shifts and
    delegations named by plan rows exist; rooming check_in/check_out equal
    the person's resolved arrival/departure; a trip's stops have distinct
    increasing ``seq`` and a ``place`` that is a hotel, a venue or the
    vehicle's own id (its depot); only a trip's ends may leave ``arrive`` /
    ``depart`` empty; a manifest's board and alight stops exist in that trip
    and board_seq < alight_seq; unassigned rows have a known kind, an
    existing id and a reason.
    """
    for kind in (*ctx.kinds, "unassigned"):
        yield from ctx.file_problems.get(kind, ())


def check_everyone_has_a_bed(ctx: _Context) -> Iterator[Violation]:
    """Consistency: each person has a bed, or an ``unassigned`` row of kind ``bed``."""
    no_bed = ctx.unassigned["bed"]
    roomed = {row.get("person") for row in ctx.plan.rooming}
    for pid, person in ctx.data.people.items():
        if pid in roomed:
            if pid in no_bed:
                ctx.warn(0, "bed_and_unassigned", _say(BED_AND_UNASSIGNED, person=pid), pid)
        elif pid not in no_bed:
            yield Violation(0, "no_bed", _say(NO_BED, person=pid, delegation=person.delegation), (pid,))


def check_rides_do_not_overlap(ctx: _Context) -> Iterator[Violation]:
    """Consistency: nobody rides two trips at the same time, and each ride boards where the last one set down.

    The second part is checked only for people with no ``unassigned`` ride
    row: a ride left out (to a session, say) rightly breaks the chain.
    """
    without_ride = {ident.split(":", 1)[0] for ident in ctx.unassigned["ride"]}
    for pid, legs in ctx.legs_by_person.items():
        timed = sorted((leg for leg in legs if leg.timed), key=lambda leg: leg.board.depart or 0)
        if len(timed) < 2:
            continue
        if pid not in without_ride:
            for last, leg in zip(timed, timed[1:], strict=False):
                overlap = (leg.board.depart or 0) < (last.alight.arrive or 0)  # reported below
                if leg.board.place != last.alight.place and not overlap:
                    yield Violation(
                        0,
                        "ride_not_connected",
                        _say(
                            RIDE_NOT_CONNECTED,
                            person=pid,
                            trip=leg.trip.title(),
                            place=leg.board.place,
                            previous=last.trip.title(),
                            left=last.alight.place,
                        ),
                        (pid, last.trip.vehicle, leg.trip.vehicle),
                    )
        before = timed[0]  # of the rides so far, the one that ends last
        for after in timed[1:]:
            assert before.alight.arrive is not None and after.board.depart is not None
            if after.board.depart < before.alight.arrive:
                yield Violation(
                    0,
                    "rides_overlap",
                    _say(
                        RIDES_OVERLAP,
                        person=pid,
                        trip=after.trip.title(),
                        boards=_show(after.board.depart),
                        previous=before.trip.title(),
                        leaves=_show(before.alight.arrive),
                    ),
                    (pid, before.trip.vehicle, after.trip.vehicle),
                )
            if (after.alight.arrive or 0) > before.alight.arrive:
                before = after


# ---------------------------------------------------------- accommodation


def _rooms_in_use(ctx: _Context) -> dict[tuple[str, str], list[_Stay]]:
    """Stays per room (built once per check)."""
    if ctx.stays_by_room is None:
        ctx.stays_by_room = defaultdict(list)
        for stay in ctx.stays:
            ctx.stays_by_room[(stay.room.hotel, stay.room.room)].append(stay)
    return ctx.stays_by_room


def rule_1_room_capacity(ctx: _Context) -> Iterator[Violation]:
    """Hard rule 1: "Each room holds at most `beds` people on any night." """
    for stays in _rooms_in_use(ctx).values():
        room = stays[0].room
        if len(stays) <= room.beds:
            continue
        per_night: Counter[date] = Counter()
        for stay in stays:
            per_night.update(stay.nights())
        for night, count in sorted(per_night.items()):
            if count > room.beds:
                names = sorted(s.person.id for s in stays if s.check_in <= night < s.check_out)
                yield Violation(
                    1,
                    "room_over_capacity",
                    _say(
                        ROOM_OVER_CAPACITY,
                        room=stays[0].room_id,
                        count=count,
                        night=night,
                        beds=room.beds,
                        people=Joined(tuple(names), LIST),
                    ),
                    (stays[0].room_id, *names),
                )


def _room_mates(ctx: _Context, differ: Callable[[Person, Person], bool]) -> Iterator[tuple[_Stay, _Stay]]:
    """Pairs of stays in one room with a night in common whose people ``differ``."""
    for stays in _rooms_in_use(ctx).values():
        for i, a in enumerate(stays):
            for b in stays[i + 1 :]:
                if a.check_in < b.check_out and b.check_in < a.check_out and differ(a.person, b.person):
                    yield a, b


def rule_2_same_gender_and_delegation(ctx: _Context) -> Iterator[Violation]:
    """Hard rule 2: "Everyone sharing a room has the same gender and the same delegation." """
    for a, b in _room_mates(ctx, lambda p, q: p.gender != q.gender or p.delegation != q.delegation):
        p, q = a.person, b.person
        if p.gender != q.gender and p.delegation != q.delegation:
            what = BOTH_DIFFER(a=p.gender, b=q.gender, c=p.delegation, d=q.delegation)
        elif p.gender != q.gender:
            what = GENDERS_DIFFER(a=p.gender, b=q.gender)
        else:
            what = DELEGATIONS_DIFFER(a=p.delegation, b=q.delegation)
        yield Violation(
            2,
            "room_mates_differ",
            _say(
                ROOM_MATES_DIFFER,
                room=a.room_id,
                a=p.id,
                b=q.id,
                night=max(a.check_in, b.check_in),
                what=what,
            ),
            (a.room_id, p.id, q.id),
        )


def rule_3_safeguarding(ctx: _Context) -> Iterator[Violation]:
    """Hard rule 3: "Athletes and partners share rooms only with athletes and partners; coaches,
    heads and staff only with coaches, heads and staff (safeguarding)." """
    for a, b in _room_mates(ctx, lambda p, q: p.athlete_group != q.athlete_group):
        p, q = a.person, b.person
        yield Violation(
            3,
            "athlete_with_adult",
            _say(
                ATHLETE_WITH_ADULT,
                room=a.room_id,
                role_a=_role(p.role),
                a=p.id,
                role_b=_role(q.role),
                b=q.id,
                night=max(a.check_in, b.check_in),
            ),
            (a.room_id, p.id, q.id),
        )


def rule_4_room_needs(ctx: _Context) -> Iterator[Violation]:
    """Hard rule 4: "`wheelchair` and `accessible_room` needs get an accessible room;
    `ground_floor` gets floor 0 or 1, or an accessible room." """
    for stay in ctx.stays:
        p, room = stay.person, stay.room
        if p.needs_accessible_room and not room.accessible:
            need = "wheelchair" if p.wheelchair else "accessible_room"
            yield Violation(
                4,
                "not_accessible",
                _say(NOT_ACCESSIBLE, person=p.id, need=need, room=stay.room_id),
                (p.id, stay.room_id),
            )
        elif p.needs_ground_floor and not (room.ground_level or room.accessible):
            yield Violation(
                4,
                "not_ground_floor",
                _say(NOT_GROUND_FLOOR, person=p.id, room=stay.room_id, floor=room.floor),
                (p.id, stay.room_id),
            )


def rule_5_approved_hotel_one_room(ctx: _Context) -> Iterator[Violation]:
    """Hard rule 5: "Only `approved` hotels are used; one room for a person's whole stay." """
    for stay in ctx.stays:
        if not ctx.data.hotels[stay.room.hotel].approved:
            yield Violation(
                5,
                "hotel_not_approved",
                _say(HOTEL_NOT_APPROVED, person=stay.person.id, hotel=stay.room.hotel),
                (stay.person.id, stay.room.hotel),
            )
    rows_per_person = Counter(_text(row.get("person")) for row in ctx.plan.rooming)
    for pid, count in rows_per_person.items():
        if count > 1 and pid in ctx.data.people:
            rooms = sorted(
                {f"{row.get('hotel')}/{row.get('room')}" for row in ctx.plan.rooming if row.get("person") == pid}
            )
            yield Violation(
                5,
                "several_rooms",
                _say(SEVERAL_ROOMS, person=pid, count=count, rooms=Joined(tuple(rooms), LIST)),
                (pid, *rooms),
            )


# -------------------------------------------------------------- transport


def rule_6_everyone_carried(ctx: _Context) -> Iterator[Violation]:
    """Hard rule 6: "Everyone who travels to a session rides from the hotel they sleep in to the
    session's venue, arriving no later than `start - arrival_buffer_min`, and back to that hotel,
    boarding at the venue no earlier than `end`."

    The ride there alights at a stop at the venue marked with that session; a
    traveller not carried is listed in ``unassigned`` kind ``ride`` with id =
    person or ``person:session``. When the plan has no rooming rows and
    accommodation is not checked, rides from any hotel are accepted.
    """
    data = ctx.data
    buffer_min = data.event.arrival_buffer_min
    no_ride = ctx.unassigned["ride"]
    know_hotels = bool(ctx.plan.rooming) or "accommodation" in ctx.kinds
    if not know_hotels and data.sessions:
        ctx.warn(6, "hotels_unknown", _say(HOTELS_UNKNOWN))
    any_hotel = frozenset(data.hotels)
    hotels_of = {pid: frozenset(s.room.hotel for s in stays) for pid, stays in ctx.stays_by_person.items()}
    # each timed ride, found by (person, place, day) of where it ends and of where it starts
    ending: dict[tuple[str, str, int], list[_Leg]] = defaultdict(list)
    starting: dict[tuple[str, str, int], list[_Leg]] = defaultdict(list)
    for leg in ctx.legs:
        if leg.board.depart is not None and leg.alight.arrive is not None:
            pid = leg.person.id
            ending[(pid, leg.alight.place, leg.alight.arrive // MINUTES_PER_DAY)].append(leg)
            starting[(pid, leg.board.place, leg.board.depart // MINUTES_PER_DAY)].append(leg)
    travellers: dict[tuple[Any, ...], list[Person]] = {}
    for session in sorted(data.sessions.values(), key=lambda s: (s.date, s.start_min, s.id)):
        deadline = _day_stamp(session.date, session.start_min - buffer_min)
        ends_at = _day_stamp(session.date, session.end_min)
        day = session.date.toordinal()
        # sessions of one sport on one day share their travellers: ask the dataset once
        key = (session.kind == "ceremony", session.sport, session.date, session.delegations)
        if key not in travellers:
            travellers[key] = data.travellers(session)
        for person in travellers[key]:
            pid = person.id
            if pid in no_ride or f"{pid}:{session.id}" in no_ride:
                continue
            home = hotels_of.get(pid, frozenset()) if know_hotels else any_hotel
            there = _ride_there(ending.get((pid, session.venue, day), ()), session, home, deadline)
            back = _ride_back(starting.get((pid, session.venue, day), ()), home, ends_at)
            if there is True and back is True:
                continue
            if not know_hotels:
                where = ANY_HOTEL()
            elif home:
                where = HOTELS_OF(hotels="/".join(sorted(home)))
            else:
                where = NO_HOTEL()
            if there is not True:
                yield Violation(
                    6,
                    "no_ride_there",
                    _say(
                        NO_RIDE_THERE_MISSED if there else NO_RIDE_THERE,
                        person=pid,
                        delegation=person.delegation,
                        where=where,
                        session=session.id,
                        venue=session.venue,
                        deadline=_show(deadline),
                        **({"missed": there} if there else {}),
                    ),
                    (pid, session.id),
                )
            if back is not True:
                yield Violation(
                    6,
                    "no_ride_back",
                    _say(
                        NO_RIDE_BACK_MISSED if back else NO_RIDE_BACK,
                        person=pid,
                        delegation=person.delegation,
                        session=session.id,
                        venue=session.venue,
                        ends=_show(ends_at),
                        where=where,
                        **({"missed": back} if back else {}),
                    ),
                    (pid, session.id),
                )


def _ride_there(legs: Iterable[_Leg], session: Session, home: frozenset[str], deadline: int) -> bool | Message | None:
    """True if one of ``legs`` (rides ending at the venue that day) brings the person in time from
    their hotel to a stop marked with ``session``; else a hint naming the nearest miss (or None)."""
    hint: Message | None = None
    for leg in legs:
        board, alight = leg.board, leg.alight
        assert board.depart is not None and alight.arrive is not None
        if alight.session != session.id:
            continue
        if board.place not in home:
            hint = hint or PICKS_UP_AT(trip=leg.trip.title(), place=board.place)
        elif alight.arrive > deadline:
            hint = hint or ARRIVES_AT(trip=leg.trip.title(), moment=_show(alight.arrive))
        else:
            return True
    return hint


def _ride_back(legs: Iterable[_Leg], home: frozenset[str], ends_at: int) -> bool | Message | None:
    """True if one of ``legs`` (rides starting at the venue that day) leaves no earlier than the
    session's end and takes the person to their hotel; else a hint naming the nearest miss (or None)."""
    hint: Message | None = None
    for leg in legs:
        board, alight = leg.board, leg.alight
        assert board.depart is not None
        if board.depart < ends_at:
            hint = hint or LEAVES_VENUE_AT(trip=leg.trip.title(), moment=_show(board.depart))
        elif alight.place not in home:
            hint = TAKES_THEM_TO(trip=leg.trip.title(), place=alight.place)
        else:
            return True
    return hint


def rule_7_seats(ctx: _Context) -> Iterator[Violation]:
    """Hard rule 7: "Seats and wheelchair places are never exceeded between any two stops;
    wheelchair users ride only in wheelchair places." """
    for key, legs in ctx.legs_by_trip.items():
        trip = ctx.trips[key]
        vehicle = ctx.data.vehicles[trip.vehicle]
        wheelchair_users = sum(1 for leg in legs if leg.person.wheelchair)
        if len(legs) - wheelchair_users <= vehicle.seats and wheelchair_users <= vehicle.wheelchair_places:
            continue  # even all aboard at once would fit
        seated: Counter[int] = Counter()
        wheeled: Counter[int] = Counter()
        for leg in legs:
            load = wheeled if leg.person.wheelchair else seated
            load[leg.board.seq] += 1
            load[leg.alight.seq] -= 1
        on_seats = on_wheels = 0
        for here, nxt in zip(trip.stops, trip.stops[1:], strict=False):
            on_seats += seated[here.seq]
            on_wheels += wheeled[here.seq]
            if on_seats > vehicle.seats:
                yield Violation(
                    7,
                    "seats_exceeded",
                    _say(
                        SEATS_EXCEEDED,
                        trip=trip.title(),
                        count=on_seats,
                        a=here.title(),
                        b=nxt.title(),
                        seats=vehicle.seats,
                    ),
                    (trip.vehicle, trip.trip),
                )
            if on_wheels > vehicle.wheelchair_places:
                yield Violation(
                    7,
                    "wheelchair_places_exceeded",
                    _say(
                        WHEELCHAIR_PLACES_EXCEEDED,
                        trip=trip.title(),
                        count=on_wheels,
                        a=here.title(),
                        b=nxt.title(),
                        places=vehicle.wheelchair_places,
                    ),
                    (trip.vehicle, trip.trip),
                )


def rule_8_vehicle_timing(ctx: _Context) -> Iterator[Violation]:
    """Hard rule 8: "A vehicle's consecutive stops are at least the travel time apart, inside its
    daily window; each day it leaves from and returns to its depot; its trips never overlap in time."

    Consecutive stops are those of one trip (depart of one to arrive of the
    next; a stop's depart is not before its arrive) and also the last stop of
    a trip and the first of the vehicle's next trip.
    """
    data = ctx.data
    by_vehicle: dict[str, list[_Trip]] = defaultdict(list)
    for trip in ctx.trips.values():
        vehicle = data.vehicles[trip.vehicle]
        for stop in trip.stops:
            if stop.arrive is not None and stop.depart is not None and stop.depart < stop.arrive:
                yield Violation(
                    8,
                    "departs_before_arriving",
                    _say(
                        DEPARTS_BEFORE_ARRIVING,
                        trip=trip.title(),
                        stop=stop.title(),
                        departs=_show(stop.depart),
                        arrives=_show(stop.arrive),
                    ),
                    (trip.vehicle, trip.trip),
                )
            for moment in (stop.arrive, stop.depart):
                if moment is None:
                    continue
                minute = moment % MINUTES_PER_DAY
                if not vehicle.available_from_min <= minute <= vehicle.available_to_min:
                    yield Violation(
                        8,
                        "outside_window",
                        _say(
                            OUTSIDE_WINDOW,
                            trip=trip.title(),
                            stop=stop.title(),
                            moment=_show(moment),
                            start=_hhmm(vehicle.available_from_min),
                            end=_hhmm(vehicle.available_to_min),
                        ),
                        (trip.vehicle, trip.trip),
                    )
                    break
        for here, nxt in zip(trip.stops, trip.stops[1:], strict=False):
            if here.depart is None or nxt.arrive is None or not (here.place_ok and nxt.place_ok):
                continue
            need = ctx.travel_min(here.place, nxt.place)
            if nxt.arrive - here.depart < need:
                yield Violation(
                    8,
                    "too_fast",
                    _say(
                        TOO_FAST,
                        trip=trip.title(),
                        a=here.title(),
                        leaves=_show(here.depart),
                        b=nxt.title(),
                        reaches=_show(nxt.arrive),
                        minutes=nxt.arrive - here.depart,
                        need=need,
                    ),
                    (trip.vehicle, trip.trip),
                )
        if trip.timed and trip.stops and trip.start is not None and trip.end is not None:
            by_vehicle[trip.vehicle].append(trip)
    for vid, trips in by_vehicle.items():
        trips.sort(key=lambda t: (t.start or 0, t.end or 0, t.trip))
        days: dict[int, list[_Trip]] = defaultdict(list)
        for trip in trips:
            days[(trip.start or 0) // MINUTES_PER_DAY].append(trip)
        for day_trips in days.values():
            first, last = day_trips[0], day_trips[-1]
            day = date.fromordinal((first.start or 0) // MINUTES_PER_DAY)
            if first.stops[0].place != vid:
                yield Violation(
                    8,
                    "not_from_depot",
                    _say(
                        NOT_FROM_DEPOT, vehicle=vid, day=day, place=first.stops[0].place, trip=first.title(), depot=vid
                    ),
                    (vid, first.trip),
                )
            if last.stops[-1].place != vid:
                yield Violation(
                    8,
                    "not_back_to_depot",
                    _say(
                        NOT_BACK_TO_DEPOT,
                        vehicle=vid,
                        day=day,
                        place=last.stops[-1].place,
                        trip=last.title(),
                        depot=vid,
                    ),
                    (vid, last.trip),
                )
        latest: _Trip | None = None
        for trip in trips:
            if latest is not None:
                assert latest.end is not None and trip.start is not None
                if trip.start < latest.end:
                    yield Violation(
                        8,
                        "trips_overlap",
                        _say(
                            TRIPS_OVERLAP,
                            vehicle=vid,
                            trip=trip.trip,
                            starts=_show(trip.start),
                            previous=latest.trip,
                            ends=_show(latest.end),
                        ),
                        (vid, latest.trip, trip.trip),
                    )
                else:
                    a, b = latest.stops[-1], trip.stops[0]
                    if a.place_ok and b.place_ok:
                        need = ctx.travel_min(a.place, b.place)
                        if trip.start - latest.end < need:
                            yield Violation(
                                8,
                                "too_fast_between_trips",
                                _say(
                                    TOO_FAST_BETWEEN_TRIPS,
                                    vehicle=vid,
                                    previous=latest.trip,
                                    a=a.place,
                                    ends=_show(latest.end),
                                    trip=trip.trip,
                                    b=b.place,
                                    starts=_show(trip.start),
                                    minutes=trip.start - latest.end,
                                    need=need,
                                ),
                                (vid, latest.trip, trip.trip),
                            )
            if latest is None or (trip.end or 0) >= (latest.end or 0):
                latest = trip


def rule_9_longest_ride(ctx: _Context) -> Iterator[Violation]:
    """Hard rule 9: "No passenger rides longer than `max_ride_min`." """
    limit = ctx.data.event.max_ride_min
    for leg in ctx.legs:
        if not leg.timed:
            continue
        assert leg.board.depart is not None and leg.alight.arrive is not None
        ride = leg.alight.arrive - leg.board.depart
        if ride > limit:
            yield Violation(
                9,
                "ride_too_long",
                _say(
                    RIDE_TOO_LONG,
                    person=leg.person.id,
                    trip=leg.trip.title(),
                    minutes=ride,
                    a=leg.board.title(),
                    boards=_show(leg.board.depart),
                    b=leg.alight.title(),
                    alights=_show(leg.alight.arrive),
                    limit=limit,
                ),
                (leg.person.id, leg.trip.vehicle, leg.trip.trip),
            )


# ------------------------------------------------------------- volunteers


def rule_10_shifts(ctx: _Context) -> Iterator[Violation]:
    """Hard rule 10: "Shifts only on available days; no two overlapping shifts; at most
    `max_hours_per_day` hours a day; every required skill and at least one required language
    held; never more than `needed` on a shift." """
    data = ctx.data
    per_day: dict[tuple[str, date], list[Shift]] = defaultdict(list)
    staffed: Counter[str] = Counter()
    for vid, shift in ctx.roster:
        volunteer = data.volunteers[vid]
        staffed[shift.id] += 1
        per_day[(vid, shift.date)].append(shift)
        if not volunteer.available(shift.date):
            yield Violation(
                10,
                "not_available",
                _say(
                    NOT_AVAILABLE,
                    volunteer=vid,
                    shift=shift.id,
                    day=shift.date,
                    start=volunteer.available_from,
                    end=volunteer.available_to,
                ),
                (vid, shift.id),
            )
        missing = sorted(shift.skills - volunteer.skills)
        if missing:
            yield Violation(
                10,
                "missing_skill",
                _say(MISSING_SKILL, volunteer=vid, shift=shift.id, skills=Joined(tuple(missing), LIST)),
                (vid, shift.id),
            )
        if shift.languages and not (shift.languages & set(volunteer.languages)):
            yield Violation(
                10,
                "missing_language",
                _say(
                    MISSING_LANGUAGE,
                    volunteer=vid,
                    shift=shift.id,
                    needed=Joined(tuple(sorted(shift.languages)), LIST),
                    spoken=Joined(tuple(volunteer.languages), LIST),
                ),
                (vid, shift.id),
            )
    for (vid, day), shifts in per_day.items():
        volunteer = data.volunteers[vid]
        shifts.sort(key=lambda s: (s.start_min, s.end_min, s.id))
        latest = shifts[0]
        for shift in shifts[1:]:
            if shift.start_min < latest.end_min:
                yield Violation(
                    10,
                    "shifts_overlap",
                    _say(
                        SHIFTS_OVERLAP,
                        volunteer=vid,
                        a=latest.id,
                        a_start=_hhmm(latest.start_min),
                        a_end=_hhmm(latest.end_min),
                        b=shift.id,
                        b_start=_hhmm(shift.start_min),
                        b_end=_hhmm(shift.end_min),
                        day=day,
                    ),
                    (vid, latest.id, shift.id),
                )
            if shift.end_min > latest.end_min:
                latest = shift
        worked_min = sum(s.end_min - s.start_min for s in shifts)
        if worked_min > volunteer.max_hours_per_day * 60 + 1e-9:
            yield Violation(
                10,
                "too_many_hours",
                _say(
                    TOO_MANY_HOURS,
                    volunteer=vid,
                    hours=f"{worked_min / 60:g}",
                    day=day,
                    most=f"{volunteer.max_hours_per_day:g}",
                ),
                (vid, *[s.id for s in shifts]),
            )
    for sid, count in staffed.items():
        needed = data.shifts[sid].needed
        if count > needed:
            yield Violation(10, "over_staffed", _say(OVER_STAFFED, shift=sid, count=count, needed=needed), (sid,))


def rule_10_liaison_duty(ctx: _Context) -> Iterator[Violation]:
    """Hard rule 10 for liaisons (FORMAT.md): "a liaison is available on all those days, serves one
    delegation at a time and works no other shift on those days" (the delegation's stay,
    arrival_date to departure_date, both days included)."""
    data = ctx.data
    duties: dict[str, list[tuple[date, date, str]]] = defaultdict(list)
    for vid, did in ctx.liaisons:
        volunteer, delegation = data.volunteers[vid], data.delegations[did]
        first, last = delegation.arrival_date, delegation.departure_date
        duties[vid].append((first, last, did))
        if not (volunteer.available_from <= first and last <= volunteer.available_to):
            yield Violation(
                10,
                "liaison_not_available",
                _say(
                    LIAISON_NOT_AVAILABLE,
                    volunteer=vid,
                    delegation=did,
                    start=volunteer.available_from,
                    end=volunteer.available_to,
                    first=first,
                    last=last,
                ),
                (vid, did),
            )
    shifts_of: dict[str, list[Shift]] = defaultdict(list)
    for vid, shift in ctx.roster:
        shifts_of[vid].append(shift)
    for vid, stays in duties.items():
        stays.sort()
        for (_a_first, a_last, a_did), (b_first, _b_last, b_did) in zip(stays, stays[1:], strict=False):
            if b_first <= a_last:
                yield Violation(
                    10,
                    "liaison_two_delegations",
                    _say(LIAISON_TWO_DELEGATIONS, volunteer=vid, a=a_did, a_last=a_last, b=b_did, b_first=b_first),
                    (vid, a_did, b_did),
                )
        for shift in shifts_of.get(vid, ()):
            for first, last, did in stays:
                if first <= shift.date <= last:
                    yield Violation(
                        10,
                        "liaison_on_shift",
                        _say(LIAISON_ON_SHIFT, volunteer=vid, delegation=did, shift=shift.id, day=shift.date),
                        (vid, did, shift.id),
                    )


def rule_11_liaison_language(ctx: _Context) -> Iterator[Violation]:
    """Hard rule 11: "Each liaison speaks one of the delegation's languages." Each delegation has
    at most one liaison."""
    data = ctx.data
    per_delegation: dict[str, list[str]] = defaultdict(list)
    for vid, did in ctx.liaisons:
        per_delegation[did].append(vid)
        volunteer, delegation = data.volunteers[vid], data.delegations[did]
        if not set(volunteer.languages) & set(delegation.languages):
            yield Violation(
                11,
                "liaison_language",
                _say(
                    LIAISON_LANGUAGE,
                    volunteer=vid,
                    spoken=Joined(tuple(volunteer.languages), LIST),
                    delegation=did,
                    needed=Joined(tuple(delegation.languages), LIST),
                ),
                (vid, did),
            )
    for did, vids in per_delegation.items():
        if len(vids) > 1:
            yield Violation(
                11,
                "several_liaisons",
                _say(SEVERAL_LIAISONS, delegation=did, count=len(vids), volunteers=Joined(tuple(vids), LIST)),
                (did, *vids),
            )


def note_shortfalls(ctx: _Context) -> Iterator[Violation]:
    """Not a hard rule: short shifts and delegations without a liaison should have an
    ``unassigned`` row (``shift`` / ``liaison``); a missing row is a warning."""
    staffed = Counter(shift.id for _vid, shift in ctx.roster)
    for sid, shift in ctx.data.shifts.items():
        short = shift.needed - staffed[sid]
        if short > 0 and sid not in ctx.unassigned["shift"]:
            ctx.warn(
                10,
                "short_shift_unlisted",
                _say(SHORT_SHIFT_UNLISTED, shift=sid, short=short),
                sid,
            )
    with_liaison = {did for _vid, did in ctx.liaisons}
    for did in ctx.data.delegations:
        if did not in with_liaison and did not in ctx.unassigned["liaison"]:
            ctx.warn(11, "liaison_unlisted", _say(LIAISON_UNLISTED, delegation=did), did)
    return iter(())


# ------------------------------------------------------------------ driver

Check = Callable[[_Context], Iterator[Violation]]

# Every check, per planning area, in the order they run and are reported.
CHECKS: dict[str, tuple[Check, ...]] = {
    "accommodation": (
        check_everyone_has_a_bed,
        rule_1_room_capacity,
        rule_2_same_gender_and_delegation,
        rule_3_safeguarding,
        rule_4_room_needs,
        rule_5_approved_hotel_one_room,
    ),
    "transport": (
        check_rides_do_not_overlap,
        rule_6_everyone_carried,
        rule_7_seats,
        rule_8_vehicle_timing,
        rule_9_longest_ride,
    ),
    "volunteers": (
        rule_10_shifts,
        rule_10_liaison_duty,
        rule_11_liaison_language,
        note_shortfalls,
    ),
}


def planned_kinds(plan: Plan) -> tuple[str, ...]:
    """The planning areas that have rows in ``plan`` (its own files or its unassigned rows)."""
    unassigned = {_text(row.get("kind")) for row in plan.unassigned}
    present = {
        "accommodation": bool(plan.rooming) or "bed" in unassigned,
        "transport": bool(plan.transport or plan.manifest) or "ride" in unassigned,
        "volunteers": bool(plan.roster or plan.liaisons) or bool({"shift", "liaison"} & unassigned),
    }
    return tuple(kind for kind in KINDS if present[kind])


def check_plan(data: Dataset, plan: Plan, kinds: Iterable[str] | None = None) -> CheckReport:
    """Re-check every hard rule of FORMAT.md on a plan's rows.

    Args:
        data: the planning data the plan was made for.
        plan: the plan rows (any mix of planning areas).
        kinds: the planning areas to check (``accommodation``, ``transport``,
            ``volunteers``); default: the areas that have rows in ``plan``. An
            area that is checked must be complete: e.g. checking
            ``accommodation`` requires a bed or an ``unassigned`` bed row for
            every person.

    Returns:
        A :class:`CheckReport`; ``report.ok`` is False if any rule is broken.
    """
    started = _clock.perf_counter()
    chosen = planned_kinds(plan) if kinds is None else tuple(kinds)
    unknown = [k for k in chosen if k not in CHECKS]
    if unknown:
        raise ValueError(f"unknown planning area(s) {', '.join(unknown)}; known: {', '.join(KINDS)}")
    chosen = tuple(k for k in KINDS if k in chosen)
    # The index holds one small object per row and nothing cyclic: pausing the cyclic garbage
    # collector keeps it from rescanning hundreds of thousands of rows again and again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        ctx = _Context(data, plan, chosen)
        violations = list(check_plan_files(ctx))
        for kind in chosen:
            for check in CHECKS[kind]:
                violations.extend(check(ctx))
    finally:
        if collecting:
            gc.enable()
    counts = {
        "beds": len(plan.rooming) if "accommodation" in chosen else 0,
        "stops": len(plan.transport) if "transport" in chosen else 0,
        "passenger rides": len(plan.manifest) if "transport" in chosen else 0,
        "shift places": len(plan.roster) if "volunteers" in chosen else 0,
        "liaisons": len(plan.liaisons) if "volunteers" in chosen else 0,
        "unassigned": len(plan.unassigned),
    }
    return CheckReport(violations, ctx.warnings, chosen, counts, _clock.perf_counter() - started)
