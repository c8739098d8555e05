"""The selection proposal at Estonia's size and at a synthetic large size."""

import random
import statistics
import time
from decimal import Decimal

from programme.reference import read_rows
from programme.selection import Candidate, Rules, propose


def estonia(rng: random.Random) -> tuple[list[Candidate], Rules]:
    """Every one of the 79 municipalities applies to a stage with 4 + 4 places."""
    counties = read_rows("counties.csv")
    candidates = [
        Candidate(
            key=index,
            name=row["name"],
            county=row["county_ehak_code"],
            result=Decimal(rng.randint(100, 500)) / 100,
            preferred_year=rng.choice([2025, 2026]),
            order=index,
        )
        for index, row in enumerate(read_rows("estonia_municipalities.csv"))
    ]
    rules = Rules(
        places={2025: 4, 2026: 4},
        county_limits={row["ehak_code"]: int(row["participant_limit"]) for row in counties},
        minimum_result=Decimal("2.00"),
    )
    return candidates, rules


def synthetic(rng: random.Random) -> tuple[list[Candidate], Rules]:
    """2 000 applicants over 200 regions competing for 100 places over four years."""
    regions = [f"R{index:03}" for index in range(200)]
    candidates = [
        Candidate(
            key=index,
            name=f"Applicant {index}",
            county=rng.choice(regions),
            result=Decimal(rng.randint(0, 500)) / 100,
            preferred_year=rng.choice([2025, 2026, 2027, 2028, None]),
            order=index,
        )
        for index in range(2000)
    ]
    rules = Rules(
        places={2025: 25, 2026: 25, 2027: 25, 2028: 25},
        county_limits={region: rng.choice([1, 1, 1, 2]) for region in regions},
        minimum_result=Decimal("1.00"),
        taken={region: ["earlier"] for region in rng.sample(regions, 20)},
    )
    return candidates, rules


def seconds(candidates: list[Candidate], rules: Rules, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        propose(candidates, rules)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run() -> None:
    rng = random.Random(2026)
    print(f"bench selection_79_s {seconds(*estonia(rng), repeat=9):.4f} s")
    print(f"bench selection_2000_s {seconds(*synthetic(rng), repeat=3):.3f} s")
