"""Simulation: do obligations follow the people behind them?

    .venv/bin/python -m benchmarks.obligations [--days 120] [--seed 11]

Builds the demo city (``seed_demo``, about 3,500 cadres) in a database of its
own, made anew on every run (``DATABASE_URL``, default
``postgres://postgres@127.0.0.1:5432/cadrecare_obligsim``), gives every
county and the city two organization-department officers (the demo gives
every township cadre a login), then lives ``--days`` days from tomorrow,
one day at a time, on a simulated clock:

1. the day's events, drawn with a fixed seed at rates a city of this size sees:
   family events, cadres falling ill, deaths, retirements and departures,
   post changes (party secretaries moving to a county agency among them, the
   successor appointed after a vacancy of a few days, the township head acting
   over the longest, some successors waiting for their login), commendations
   (one posthumous);
2. the owners act: each obligation's fate is drawn when it is first seen:
   done ahead of its due date (60 %), late (25 %), never (15 %); whoever owns
   it on the day they act records the visit or the talk through the services,
   and a refusal is counted;
3. the reminders scan, as the beat runs it.

The report: obligations made per event with an owner and a due date; the share
of items reminded before they fell due, and escalated to the county on the day
the schedule says; duplicate notices; notices about a cadre after their death
or retirement (but the condolence visit to a dead cadre's family and the
retiree's family visits, which stay); items with a secretary who has moved away
(open in their old township and owned by them, or noticed to them after the
move). The targets are 100 %, 100 %, 100 %, 0, 0, 0 (benchmarks/README.md).
"""
