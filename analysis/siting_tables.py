"""What `run.py siting` tabulates and says: the rows of siting.csv and sites.csv, the
solver's status in short, where a site lies, and the findings in plain words."""

from __future__ import annotations

import math

import numpy as np

from analysis.siting import (
    OPTIMUM_LABEL,
    SiteSet,
    SitingResult,
    Solution,
    entries,
    evaluate,
    evaluate_blocks,
    nearest,
)


def rows_table(result: SitingResult):
    """One row per set of sites compared (the content of siting.csv)."""
    import pandas as pd
    rows = []
    for demand, kind, label, p, sites, src in entries(result):
        dem, blk = result.demands[demand], result.blocks.get(demand)
        row = {"scenario": result.scenario, "seed": result.seed, "demand": demand,
               "residents": round(dem.residents), "set": label,
               "kind": "structure" if kind == "structure" else f"{kind} optimum", "p": p}
        ok = len(sites) > 0
        exact = evaluate(dem, sites, result.walk) if ok else None
        agg = evaluate_blocks(blk, sites, dem.height, result.walk) if ok and blk else None
        for key, f in (("", exact), ("blocks_", agg)):
            row[f"{key}covered_pct"] = 100 * f.covered if f else np.nan
            row[f"{key}mean_min"] = f.mean_min if f else np.nan
            if not key:
                row["p90_min"] = f.p90_min if f else np.nan
                row["max_min"] = f.max_min if f else np.nan
        sol = src if isinstance(src, Solution) else None
        before = sol.unrefined if sol is not None and sol.unrefined is not None else sites
        row["unrefined_mean_min"] = (evaluate(dem, before, result.walk).mean_min
                                     if sol is not None and ok else np.nan)
        row |= {"status": sol.status if sol else "",
                "result": short_status(sol) if sol else "",
                "solve_s": round(sol.build_s + sol.heuristic_s + sol.solve_s, 2) if sol
                else np.nan,
                "heuristic_s": round(sol.heuristic_s, 2) if sol else np.nan,
                "cbc_s": round(sol.solve_s, 2) if sol else np.nan,
                "cbc_start_s": round(sol.cbc_start_s, 2) if sol else np.nan,
                "cbc_ended": sol.cbc_ended if sol else "",
                "objective": sol.value if sol else np.nan,
                "heuristic_objective": sol.heuristic if sol else np.nan,
                "cbc_objective": sol.cbc_value if sol else np.nan,
                "bound": sol.bound if sol else np.nan,
                "gap": sol.gap if sol else np.nan,
                "variables": sol.variables if sol else np.nan,
                "enumeration_check": sol.check if sol else "",
                "block_cells": result.block, "candidate_sites": len(blk) if blk else np.nan,
                "time_limit_s": result.time_limit_s}
        rows.append(row)
    return pd.DataFrame(rows)


def short_status(sol: Solution) -> str:
    """The solver column of the printed table: "optimal (CBC)", "optimal (enumeration)",
    "optimal (bound)" (proved optimal for the aggregated problem), "CBC, gap x %" (CBC's
    best at its time limit) or "heuristic, gap x %" (the heuristic's; "gap ?" if none)."""
    gap = "?" if sol.gap is None or math.isnan(sol.gap) else f"{100 * sol.gap:.2f} %"
    if sol.status == "optimal":
        return "optimal (CBC)"
    if sol.status.startswith("optimal"):
        return "optimal (enumeration)" if "enumeration" in sol.status else "optimal (bound)"
    if sol.status.startswith("heuristic"):
        return f"heuristic, gap {gap}"
    if sol.status.startswith("feasible"):
        return f"CBC, gap {gap}"
    return sol.status


COMPASS = ("east", "north-east", "north", "north-west", "west", "south-west", "south",
           "south-east")


def whereabouts(cell: int, city) -> tuple[float, str]:
    """Distance (km, straight line) and compass direction of a cell from the city centre."""
    x, y = divmod(int(cell), city.height)
    dx, dy = (x - city.centre[0]) * city.cell_m, (y - city.centre[1]) * city.cell_m
    km = float(np.hypot(dx, dy)) / 1000
    sector = int(np.round(np.degrees(np.arctan2(dy, dx)) / 45)) % 8
    return km, COMPASS[sector]


def describe_site(cell: int, city) -> str:
    km, direction = whereabouts(cell, city)
    x, y = divmod(int(cell), city.height)
    place = "at the city centre" if km < 0.25 else f"{km:.1f} km {direction} of the centre"
    return f"cell ({x}, {y}), {place}"


def sites_table(result: SitingResult):
    """One row per site of every set compared (the content of sites.csv)."""
    import pandas as pd
    rows = []
    h = result.city.height
    for demand, kind, label, p, sites, src in entries(result):
        dem = result.demands[demand]
        if len(sites):
            _, which = nearest(dem.xs, dem.ys, sites, h, result.walk)
            served = np.bincount(which, dem.weight, minlength=len(sites))
        units = src.units if isinstance(src, SiteSet) else [None] * len(sites)
        for k, (cell, unit) in enumerate(zip(sites, units)):
            km, direction = whereabouts(cell, result.city)
            rows.append({"scenario": result.scenario, "demand": demand, "set": label,
                         "kind": "structure" if kind == "structure" else f"{kind} optimum",
                         "p": p, "site": k + 1, "cell": int(cell), "x": int(cell) // h,
                         "y": int(cell) % h, "unit": "" if unit is None else
                         result.unit_names[unit], "residents_nearest": round(served[k]),
                         "centre_km": round(km, 2), "direction": direction})
    return pd.DataFrame(rows)


def pct(value: float) -> str:
    """A percentage to one decimal, or two where one would round a shortfall up to 100."""
    return f"{value:.1f}" if value >= 100 or round(value, 1) < 100 else f"{value:.2f}"


NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven",
                8: "eight", 9: "nine", 10: "ten"}


def findings(result: SitingResult, rows) -> list[str]:
    """The comparison in plain words: each structure set against the optima of its count."""
    out = []
    circle = f"{result.walk.circle_min:g} minutes"

    def get(label, demand, p):
        r = rows[(rows["set"] == label) & (rows["demand"] == demand) & (rows["p"] == p)]
        return r.iloc[0] if len(r) else None

    for s in result.sets:
        own = get(s.label, s.demand, s.p)
        acc = get(OPTIMUM_LABEL["access"], s.demand, s.p)
        cov = get(OPTIMUM_LABEL["coverage"], s.demand, s.p)
        n = NUMBER_WORDS.get(s.p, str(s.p))
        head = (f"{s.label.capitalize()}, {s.p} sites, for {result.demands[s.demand].label}: "
                f"mean walk "
                f"{own['mean_min']:.1f} min, 90th percentile {own['p90_min']:.1f} min, "
                f"{pct(own['covered_pct'])} % within {circle}.")
        parts = [head]
        better = acc is not None and acc["mean_min"] < own["mean_min"] - 0.005
        if acc is not None and np.isfinite(acc["mean_min"]):
            verb = "cut" if better else "change"
            parts.append(f"The optimal {n} sites for access would {verb} mean access from "
                         f"{own['mean_min']:.2f} to {acc['mean_min']:.2f} minutes (90th "
                         f"percentile {own['p90_min']:.1f} to {acc['p90_min']:.1f}; within "
                         f"{circle} {pct(own['covered_pct'])} % to {pct(acc['covered_pct'])} %).")
        if cov is not None and np.isfinite(cov["covered_pct"]):
            parts.append(f"The optimal {n} sites for coverage would reach "
                         f"{pct(cov['covered_pct'])} % within {circle}.")
        out.append(" ".join(parts))
        best = result.optimum("access", s.demand, s.p)
        if s.name == "street_offices" and best is not None and len(best.sites):
            verdict = (f"the optimal {n} sites cut mean access to a street office from "
                       f"{own['mean_min']:.2f} to {acc['mean_min']:.2f} minutes" if better else
                       f"the structure's offices are as good as the optimum found "
                       f"({own['mean_min']:.2f} against {acc['mean_min']:.2f} minutes)")
            out.append(f"Where should the {n} street offices have gone? At "
                       + "; ".join(describe_site(c, result.city) for c in best.sites)
                       + f" (the p-median optimum): {verdict}. The structure's offices "
                       "stand at " + "; ".join(describe_site(c, result.city) for c in s.cells)
                       + ".")
    return out
