"""The demo workbooks: reproducible, valid, of the promised size, and servable."""

from __future__ import annotations

import math
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from fixtures.generate import generate, write_fixture
from planner.dataset import Dataset
from planner.workbook.io import Workbook, read_workbook

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CHECKED_IN = ("small", "district")

# (people, delegations, hotels, venues, vehicles, wheelchair vehicles, volunteers), roughly
EXPECTED = {
    "small": (150, 6, 4, 3, 8, 2, 60),
    "district": (1500, 28, 15, 6, 40, 8, 600),
    "games": (10000, 165, 96, 30, 250, 50, 3000),
}


@pytest.fixture(scope="module")
def workbooks() -> dict[str, Workbook]:
    return {size: generate(size) for size in CHECKED_IN}


@pytest.fixture(scope="module")
def datasets(workbooks: dict[str, Workbook]) -> dict[str, Dataset]:
    return {size: Dataset.from_workbook(wb) for size, wb in workbooks.items()}


@pytest.fixture(scope="module")
def games_workbook() -> Workbook:
    return generate("games")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


# ------------------------------------------------------------ reproducible


@pytest.mark.parametrize("size", CHECKED_IN)
def test_checked_in_folder_is_what_the_generator_writes(size: str, tmp_path: Path) -> None:
    write_fixture(size, tmp_path)
    fresh, stored = _files(tmp_path), _files(FIXTURES / size)
    assert sorted(stored) == sorted(fresh), "files differ; run: python -m fixtures.generate SIZE fixtures/SIZE"
    changed = [name for name in fresh if fresh[name] != stored[name]]
    assert not changed, f"regenerate fixtures/{size}: {changed} changed"


def test_same_seed_same_files_other_seed_other_files(tmp_path: Path) -> None:
    write_fixture("small", tmp_path / "a", seed=7)
    write_fixture("small", tmp_path / "b", seed=7)
    write_fixture("small", tmp_path / "c", seed=8)
    a, b, c = (_files(tmp_path / x) for x in "abc")
    assert len(a) == 12
    assert a == b
    assert a["people.csv"] != c["people.csv"]
    assert a["rooms.csv"] != c["rooms.csv"]


def test_unknown_size_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown fixture size"):
        generate("olympics")


# ------------------------------------------------------------------- valid


@pytest.mark.parametrize("size", CHECKED_IN)
def test_checked_in_folder_imports_with_the_generated_values(size: str, workbooks: dict[str, Workbook]) -> None:
    read = read_workbook(FIXTURES / size)
    generated = workbooks[size]
    assert set(read.tables) == set(generated.tables)
    for file, rows in generated.tables.items():
        assert read.tables[file] == rows, file
    assert read.row_numbers == generated.row_numbers
    assert read.extra_columns == generated.extra_columns


@pytest.mark.slow
def test_games_writes_and_imports(games_workbook: Workbook, tmp_path: Path) -> None:
    write_fixture("games", tmp_path)
    read = read_workbook(tmp_path)
    assert read.tables["people"] == games_workbook.tables["people"]
    assert read.tables["shifts"] == games_workbook.tables["shifts"]


# ------------------------------------------------------------------- sizes


def _check_sizes(size: str, data: Dataset) -> None:
    people, delegations, hotels, venues, vehicles, wheelchair_vehicles, volunteers = EXPECTED[size]
    assert abs(len(data.people) - people) <= people * 0.05
    assert len(data.delegations) == delegations
    assert len(data.hotels) == hotels
    assert len(data.venues) == venues
    assert len(data.vehicles) == vehicles
    assert sum(1 for v in data.vehicles.values() if v.wheelchair_places) == wheelchair_vehicles
    assert len(data.volunteers) == volunteers
    assert 0 < sum(1 for h in data.hotels.values() if not h.approved) <= max(2, hotels // 10)  # "a few"


def _check_people_mix(data: Dataset) -> None:
    roles = Counter(p.role for p in data.people.values())
    competitors = roles["athlete"] + roles["partner"]
    assert 3 <= competitors / roles["coach"] <= 5.5  # about one coach per four athletes
    assert roles["head"] == len(data.delegations)
    assert 0 < roles["partner"] < roles["athlete"] / 5
    wheelchair = sum(p.wheelchair for p in data.people.values())
    assert 0.005 * len(data.people) <= wheelchair <= 0.04 * len(data.people)
    genders = Counter(p.gender for p in data.people.values())
    assert genders["F"] > 0.25 * len(data.people) and genders["M"] > 0.25 * len(data.people)
    # staggered: delegations arrive on several days before the start and leave after the end
    arrivals = {d.arrival_date for d in data.delegations.values()}
    assert len(arrivals) >= 2 and max(arrivals) < data.event.start_date
    assert min(d.departure_date for d in data.delegations.values()) > data.event.end_date
    assert any(d.diet == "halal" for d in data.delegations.values())
    assert any(h.halal_kitchen and h.approved for h in data.hotels.values())
    # athletes carry scores for divisioning
    assert all(p.score is not None for p in data.people.values() if p.role == "athlete")
    assert all(p.sport for p in data.people.values() if p.role in ("athlete", "partner", "coach"))
    # Chinese-script names for the host's delegation, Latin script for the others
    host = [p for p in data.people.values() if p.delegation == "CHN"]
    assert host and all(ord(p.family_name[0]) > 0x3000 for p in host)
    assert any(p.family_name.isascii() for p in data.people.values() if p.delegation != "CHN")


@pytest.mark.parametrize("size", CHECKED_IN)
def test_sizes_and_mix_as_promised(size: str, datasets: dict[str, Dataset]) -> None:
    _check_sizes(size, datasets[size])
    _check_people_mix(datasets[size])


@pytest.mark.slow
def test_games_size_and_mix(games_workbook: Workbook) -> None:
    data = Dataset.from_workbook(games_workbook)
    _check_sizes("games", data)
    _check_people_mix(data)
    members = [len(ps) for ps in data.people_by_delegation.values()]
    assert min(members) >= 6 and max(members) <= 400
    assert max(members) >= 300 and min(members) <= 10
    _check_servable(data)


# --------------------------------------------------------------- servable


def _nights(data: Dataset) -> list[date]:
    first = min(p.arrival_date for p in data.people.values())
    last = max(p.departure_date for p in data.people.values())
    return [first + timedelta(days=i) for i in range((last - first).days)]


def _check_beds(data: Dataset) -> None:
    rooms = [r for r in data.rooms if data.hotels[r.hotel].approved]
    beds = sum(r.beds for r in rooms)
    accessible_beds = sum(r.beds for r in rooms if r.accessible)
    low_beds = sum(r.beds for r in rooms if r.accessible or r.ground_level)
    peak = 0
    for night in _nights(data):
        present = [p for p in data.people.values() if p.in_town(night)]
        peak = max(peak, len(present))
        assert beds > len(present), night
        assert accessible_beds > sum(p.needs_accessible_room for p in present), night
        assert low_beds > sum(p.needs_accessible_room or p.needs_ground_floor for p in present), night
    # spare beds: enough for the gender/role/delegation splits, not absurdly loose
    assert 1.12 <= beds / peak <= 1.3
    halal_beds = sum(r.beds for r in rooms if data.hotels[r.hotel].halal_kitchen)
    halal_people = sum(1 for p in data.people.values() if data.delegations[p.delegation].diet == "halal")
    assert 0 < halal_people < halal_beds


def _check_rides(data: Dataset) -> None:
    longest = max(data.travel_min(h, v) for h, hotel in data.hotels.items() if hotel.approved for v in data.venues)
    assert longest <= data.event.max_ride_min - 5
    wheelchair_places = sum(v.wheelchair_places for v in data.vehicles.values())
    seats = sum(v.seats for v in data.vehicles.values())
    for session in data.sessions.values():
        travellers = data.travellers(session)
        assert travellers, session.id
        assert session.sport is None or session.sport in data.venues[session.venue].sports
        users = sum(p.wheelchair for p in travellers)
        if session.kind == "ceremony":
            # everybody at once: the fleet needs at most two rounds
            assert users <= 2 * wheelchair_places and len(travellers) <= 2 * seats
        else:
            assert users <= wheelchair_places and len(travellers) <= 200, session.id


def _liaisons_possible(data: Dataset) -> int:
    """Size of a largest liaison matching (augmenting paths), independent of the generator."""
    candidates = {
        d.id: [
            v.id
            for v in data.volunteers.values()
            if v.available(d.arrival_date) and v.available(d.departure_date) and set(d.languages) & set(v.languages)
        ]
        for d in data.delegations.values()
    }
    owner: dict[str, str] = {}

    def augment(d: str, seen: set[str]) -> bool:
        for v in candidates[d]:
            if v not in seen:
                seen.add(v)
                if v not in owner or augment(owner[v], seen):
                    owner[v] = d
                    return True
        return False

    return sum(augment(d, set()) for d in sorted(candidates, key=lambda k: len(candidates[k])))


def _check_volunteers(data: Dataset) -> None:
    spoken = {lang for v in data.volunteers.values() for lang in v.languages}
    for d in data.delegations.values():
        assert set(d.languages) <= spoken, d.id
    assert _liaisons_possible(data) == len(data.delegations)
    days = sorted({s.date for s in data.shifts.values()})
    for day in days:
        shifts = [s for s in data.shifts.values() if s.date == day]
        free = [v for v in data.volunteers.values() if v.available(day)]
        liaisons = sum(1 for d in data.delegations.values() if d.arrival_date <= day <= d.departure_date)
        demand_h = sum(s.needed * s.hours for s in shifts)
        supply_h = sum(v.max_hours_per_day for v in free) - 10 * liaisons
        assert demand_h <= 0.6 * supply_h, day
        for s in shifts:
            holders = [v for v in free if s.skills <= v.skills and (not s.languages or s.languages & set(v.languages))]
            assert len(holders) >= s.needed, s.id


def _check_servable(data: Dataset) -> None:
    _check_beds(data)
    _check_rides(data)
    _check_volunteers(data)


@pytest.mark.parametrize("size", CHECKED_IN)
def test_a_good_planner_can_serve_everybody(size: str, datasets: dict[str, Dataset]) -> None:
    _check_servable(datasets[size])


def test_scores_follow_the_sport_direction(datasets: dict[str, Dataset]) -> None:
    data = datasets["district"]
    assert {s.id for s in data.sports.values() if s.lower_is_better} >= {"athletics", "aquatics"}
    assert all(s.division_spread_pct == 15 for s in data.sports.values())
    sprint = [p.score for p in data.people.values() if p.sport == "athletics" and p.score is not None]
    assert min(sprint) > 10 and max(sprint) < 40 and not math.isclose(min(sprint), max(sprint))
