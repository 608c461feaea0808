#!/usr/bin/env python3
"""Writes data/demo/esco-demo.json: a curated subset of ESCO v1.1.1 (a few ICT
occupations, every skill they need and its ancestors, all skill groups) as a
credstack framework snapshot (docs/formats/framework-snapshot.md), for the
demo mode of `credstack serve` (make run). Source: ESCO, European Commission.

  scripts/make_demo_esco.py ../shared/datasets/esco-v1.1.1 data/demo/esco-demo.json
"""
import csv, json, sys

OCCUPATIONS = ["software developer", "data analyst", "web developer",
               "data scientist", "database administrator", "ICT business analyst"]

def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        yield from csv.DictReader(f)

src, out = sys.argv[1], sys.argv[2]
occs = {r["conceptUri"]: r for r in rows(f"{src}/occupations_en.csv")
        if r["preferredLabel"] in OCCUPATIONS}
missing = set(OCCUPATIONS) - {r["preferredLabel"] for r in occs.values()}
assert not missing, missing
rels = [r for r in rows(f"{src}/occupationSkillRelations.csv") if r["occupationUri"] in occs]
skills_all = {r["conceptUri"]: r for r in rows(f"{src}/skills_en.csv")}
groups_all = {r["conceptUri"]: r for r in rows(f"{src}/skillGroups_en.csv")}
broader = {}
for r in rows(f"{src}/broaderRelationsSkillPillar.csv"):
    broader.setdefault(r["conceptUri"], []).append(r["broaderUri"])
codes = {}
for r in rows(f"{src}/skillsHierarchy_en.csv"):
    for level in range(4):
        uri, code = r.get(f"Level {level} URI", ""), r.get(f"Level {level} code", "")
        if uri and code:
            codes[uri] = code

needed = [r["skillUri"] for r in rels if r["skillUri"] in skills_all]
keep, stack = set(), list(needed)
while stack:  # skills and their broader skills
    s = stack.pop()
    if s in keep or s not in skills_all:
        continue
    keep.add(s)
    stack.extend(b for b in broader.get(s, []) if b in skills_all)
skill_ids = sorted(keep)
group_ids = sorted(groups_all)
si = {s: i for i, s in enumerate(skill_ids)}
gi = {g: i for i, g in enumerate(group_ids)}

groups = []
for g in group_ids:
    o = {"id": g, "label": groups_all[g]["preferredLabel"]}
    if g in codes: o["code"] = codes[g]
    b = sorted(gi[x] for x in broader.get(g, []) if x in gi)
    if b: o["broader"] = b
    groups.append(o)
skills = []
for s in skill_ids:
    r = skills_all[s]
    o = {"id": s, "label": r["preferredLabel"]}
    if r["skillType"]: o["type"] = r["skillType"]
    if r["reuseLevel"]: o["reuse"] = r["reuseLevel"]
    g = sorted(gi[x] for x in broader.get(s, []) if x in gi)
    b = sorted(si[x] for x in broader.get(s, []) if x in si)
    if g: o["groups"] = g
    if b: o["broaderSkills"] = b
    skills.append(o)
occupations = []
for uri in sorted(occs):
    r = occs[uri]
    ess = sorted({si[x["skillUri"]] for x in rels if x["occupationUri"] == uri
                  and x["relationType"] == "essential" and x["skillUri"] in si})
    opt = sorted({si[x["skillUri"]] for x in rels if x["occupationUri"] == uri
                  and x["relationType"] == "optional" and x["skillUri"] in si} - set(ess))
    o = {"id": uri, "label": r["preferredLabel"], "code": r["code"],
         "iscoGroup": r["iscoGroup"], "essential": ess}
    if opt: o["optional"] = opt
    occupations.append(o)
doc = {"format": "credstack-framework-snapshot", "formatVersion": 1,
       "framework": {"name": "ESCO", "version": "1.1.1",
                     "attribution": "ESCO, European Commission", "source": "esco"},
       "groups": groups, "skills": skills, "occupations": occupations}
with open(out, "w", encoding="utf-8") as f:
    json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))
print(f"{len(groups)} groups, {len(skills)} skills, {len(occupations)} occupations")
