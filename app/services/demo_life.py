"""One demo complaint's life, from intake to wherever it stands now (demo_record.py keeps
the rows and applies the workflow's rules to every move).

The steps a desk takes: intake (or "resolve on the spot" at the counter), triage and
assessment, investigation, a proposed solution (with a supervisor's approval above the
threshold, sometimes a rejection, sometimes the customer declining), agreement, carrying it
out, then the revisit: satisfied closes, not satisfied reopens. A few customers withdraw, a few
cannot be reached for the revisit and a supervisor closes the case, a few cases get stuck.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from app.money import format_money
from app.rules.compensation import entry_amounts, entry_total
from app.services.demo_escalations import escalate_history
from app.services.demo_record import Record, Row, Staff, Stop
from app.services.demo_records import occurred_time
from app.services.demo_text import DemoRandom, weighted
from app.sla import assessed_due_times, due_times

_SCORES = [("5", 55), ("4", 30), ("3", 8), ("2", 4), ("1", 3)]
_SCORES_AFTER_REOPEN = [("5", 50), ("4", 35), ("3", 10), ("2", 3), ("1", 2)]
_REVISIT_METHODS = [("phone", 70), ("sms", 12), ("email", 6), ("in_person", 12)]
_VERIFIED = [("true", 76), ("not_verifiable", 15), ("unfounded", 9)]
# At the counter the clerk sees what happened: mostly true, sometimes a misunderstanding.
_SPOT_VERDICTS = [("true", 88), ("unfounded", 9), ("not_verifiable", 3)]
_CLOSE_UNFOUNDED = 0.6  # unfounded complaints closed with the explanation (else a solution)


class Life(Record):
    """The steps of one complaint; `run()` takes them until the next one would pass now."""

    def run(self) -> None:
        """Live the complaint up to now; the rows are then in c, events, contacts, ..."""
        rng = self.rng = DemoRandom(self.plan.seed)
        self.ctx.texts.rng = rng  # the texts of this complaint come from its stream too
        self.slow = rng.uniform(4, 10) if rng.random() < 0.02 else 1.0
        self.withdraw_at = (rng.choice(("new", "assessed", "investigating", "proposed"))
                            if rng.random() < 0.02 else None)
        self.intake()
        spot = (self.plan.channel == "counter" and self.c["severity"] in ("minor", "normal")
                and self.c["category_id"] is not None and rng.random() < 0.25)
        self.on_the_spot = spot
        try:
            if spot:
                self.resolve_on_the_spot()
            else:
                self.maybe_withdraw("new")
                self.assess()
                self.maybe_withdraw("assessed")
                self.work()
            self.follow_up()
        except Stop:
            pass
        if not spot:
            self.first_contact()
        escalate_history(self)
        self.finish()

    def intake(self) -> None:
        p, ctx, rng, texts = self.plan, self.ctx, self.rng, self.ctx.texts
        cat = texts.categories[p.category]
        self.fill = texts.fill(p.lang)
        emotion = weighted(rng, _EMOTIONS[p.severity])
        demands = texts.demands(p.category)
        severity = p.severity if p.severity == "urgent" or rng.random() < 0.6 else "normal"
        first_due, due = due_times(p.received_at, severity, ctx.policy, p.tier)
        self.t = p.received_at
        self.intake_severity = severity
        self.owner = p.recorder
        self.c = {
            "id": p.id, "reference": p.reference, "external_id": None, "version": 1,
            "received_at": p.received_at, "channel": p.channel, "customer_id": p.customer_id,
            "occurred_at": occurred_time(p.seed, p.received_at, p.channel),
            "subject_id": ctx.subject_ids.get(rng.choice(cat["subjects"])),
            "category_id": ctx.category_ids[p.category] if rng.random() < 0.65 else None,
            "department_id": (ctx.department_ids.get(rng.choice(cat["departments"]))
                              if rng.random() < 0.7 else None),
            "location": texts.location(p.lang), "staff_involved": texts.staff_involved(self.fill),
            "description": texts.description(p.category, p.channel, emotion, demands, p.lang,
                                             self.fill),
            "emotion": emotion, "demands": demands, "recorded_by_id": p.recorder[0],
            "is_repeat": p.is_repeat, "imported_from": None, "stage": "new",
            "severity": severity, "owner_id": None, "verified": None,
            "first_contact_due_at": first_due, "first_contact_at": None, "due_at": due,
            "resolved_at": None, "closed_at": None, "close_reason": None, "withdrawn": False,
            "reopen_count": 0, "paused_since": None, "paused_minutes": 0, "satisfaction": None,
            "updated_at": p.received_at,
        }
        self.event("intake", p.recorder, channel=p.channel)

    def resolve_on_the_spot(self) -> None:
        """Resolved at the counter: new → follow_up at once, as intake's "on the spot" does."""
        p, c, ctx = self.plan, self.c, self.ctx
        types, amounts = ctx.texts.solution(p.category, cap_cents=min(ctx.threshold, 30000))
        text = ctx.texts.implementation(types, entry_total(amounts), p.lang)
        c["owner_id"], c["first_contact_at"] = p.recorder[0], p.received_at
        c["verified"] = weighted(self.rng, _SPOT_VERDICTS)  # the guard needs the verdict
        self.inv = {"complaint_id": p.id, "findings": text, "root_cause": None,
                    "responsibility": "nobody", "evidence": None, "updated_at": self.t,
                    "by_id": p.recorder[0]}
        entry = self._solution(types, amounts, text, "not_needed", p.recorder)
        entry.update(customer_agreed_at=self.t, implemented_at=self.t, implementation=text,
                     implemented_by_id=p.recorder[0])
        self.move("follow_up", p.recorder)

    def maybe_withdraw(self, stage: str) -> None:
        if self.withdraw_at != stage:
            return
        self.later(self.rng.uniform(2, 72))
        self.move("closed", self.owner, self.ctx.texts.line("withdraw", self.plan.lang))
        raise Stop

    def assess(self) -> None:
        p, c, ctx, rng = self.plan, self.c, self.ctx, self.rng
        if p.channel != "counter" and rng.random() < 0.4:
            self.later(rng.uniform(4, 30))  # calls and messages wait for the next triage round
        self.later("assess")
        if p.severity in ("serious", "urgent") and rng.random() < 0.4:
            self.owner = ctx.supervisor
        else:
            self.owner = rng.choice(ctx.clerks)
        actor = ctx.supervisor if rng.random() < 0.3 else self.owner
        cat = ctx.texts.categories[p.category]
        c["severity"], c["category_id"], c["owner_id"] = (
            p.severity, ctx.category_ids[p.category], self.owner[0])
        if c["department_id"] is None:
            c["department_id"] = ctx.department_ids.get(rng.choice(cat["departments"]))
        c["first_contact_due_at"], c["due_at"] = assessed_due_times(
            p.received_at, p.severity, ctx.policy, c["paused_minutes"], p.tier)
        self.assessed_at = self.t
        self.event("assessed", actor, severity=p.severity, owner=self.owner[1])
        self.move("assessed", actor)

    def work(self) -> None:
        """Investigate, propose, approve, agree and carry out: up to follow-up."""
        rng, owner = self.rng, self.owner
        if self.c["stage"] == "assessed":
            self.later("start")
            self.move("investigating", owner)
        self.maybe_withdraw("investigating")
        self.later("findings")
        self.investigate()
        if rng.random() < 0.08:
            self.event("note", owner, text=self.ctx.texts.line("notes", self.plan.lang))
        if self.c["verified"] == "unfounded" and rng.random() < _CLOSE_UNFOUNDED:
            # Explained to the customer and closed (hotel 2.3): no solution, no revisit.
            self.later("agree")
            self.move("closed", owner, self.ctx.texts.line("close_unfounded", self.plan.lang))
            raise Stop
        self.later("propose")
        self.propose()
        self.move("proposed", owner)
        if rng.random() < 0.5:
            self.contact(self.t + timedelta(minutes=rng.randrange(5, 120)), "contact_proposal",
                         owner)
        self.maybe_withdraw("proposed")
        self.approval()
        if rng.random() < 0.04:  # the customer declines: back to investigating, a new proposal
            self.later("agree")
            self.move("investigating", owner)
            self.later("propose")
            self.propose()
            self.move("proposed", owner)
            self.approval()
        self.later("agree")
        sol = self.sol
        assert sol is not None
        sol["customer_agreed_at"] = self.t
        self.event("customer_agreed", owner)
        self.move("in_progress", owner)
        self.later("implement")
        text = self.ctx.texts.implementation(sol["types"], sol["amount_cents"], self.plan.lang)
        sol.update(implementation=text, implemented_at=self.t, implemented_by_id=owner[0])
        self.event("implemented", owner, implementation=text)
        self.move("follow_up", owner)

    def investigate(self) -> None:
        p, rng, cat = self.plan, self.rng, self.ctx.texts.categories[self.plan.category]
        if self.c["verified"] is None:  # the verdict: needed to leave the investigation
            self.c["verified"] = weighted(rng, _VERIFIED)
        verified = self.c["verified"]
        if verified == "unfounded":
            resp, cause = rng.choice(("customer", "nobody")), "misunderstanding"
        else:
            resp, cause = weighted(rng, cat["responsibility"]), rng.choice(cat["root_causes"])
        self.inv = {"complaint_id": p.id,
                    "findings": self.ctx.texts.findings(p.category, verified, p.lang, self.fill),
                    "root_cause": cause, "responsibility": resp,
                    "evidence": self.ctx.texts.evidence(p.lang), "updated_at": self.t,
                    "by_id": self.owner[0]}
        self.event("investigation", self.owner, responsibility=resp, root_cause=cause,
                   verdict=verified)

    def _solution(self, types: list[str], amounts: dict[str, int], description: str,
                  state: str, by: Staff) -> Row:
        """A new ledger entry, as resolution.propose_solution adds it (the current one, not
        carried out, is superseded)."""
        before = self.sol
        if before is not None and before["implemented_at"] is None:
            before["superseded_at"] = self.t
        entry = {"complaint_id": self.plan.id, "round": self.c["reopen_count"],
                 "types": types, "amounts": entry_amounts(types, amounts),
                 "amount_cents": entry_total(amounts), "description": description,
                 "approval_state": state, "approved_by_id": None, "approved_at": None,
                 "approval_comment": None, "customer_agreed_at": None, "implemented_at": None,
                 "implementation": None, "implemented_by_id": None, "proposed_at": self.t,
                 "proposed_by_id": by[0], "superseded_at": None}
        self.solutions.append(entry)
        return entry

    def propose(self, cap_cents: int | None = None) -> None:
        """A (new or revised) solution, as resolution.propose_solution records it."""
        ctx, p = self.ctx, self.plan
        if self.c["verified"] == "unfounded":
            types, amounts = ["explanation"], {"explanation": 0}
        else:
            types, amounts = ctx.texts.solution(p.category, cap_cents)
        cents = entry_total(amounts)
        state = "pending" if cents > ctx.threshold else "not_needed"
        self._solution(types, amounts, ctx.texts.proposal(types, cents, p.lang), state,
                       self.owner)
        self.event("solution_proposed", self.owner, types=types, amount=format_money(cents))
        if state == "pending":
            self.event("approval_requested", self.owner, amount=format_money(cents),
                       threshold=format_money(ctx.threshold))

    def approval(self) -> None:
        """A supervisor decides a solution over the threshold; a rejection means a new one."""
        ctx, sol = self.ctx, self.sol
        if sol is None or sol["approval_state"] != "pending":
            return
        self.later("approve")
        approve = self.rng.random() >= 0.1
        comment = ctx.texts.line("approval_ok" if approve else "approval_no", self.plan.lang)
        sol.update(approval_state="approved" if approve else "rejected",
                   approved_by_id=ctx.supervisor[0], approved_at=self.t, approval_comment=comment)
        self.event("approved" if approve else "rejected", ctx.supervisor, comment=comment)
        if not approve:
            self.later("propose")
            self.propose(cap_cents=ctx.threshold)

    def follow_up(self) -> None:
        """Revisits until the customer is satisfied (a dissatisfied one reopens the case)."""
        ctx, rng, c = self.ctx, self.rng, self.c
        while True:
            pending = self.revisits[-1]
            day = datetime.combine(pending["scheduled_for"], time(10))
            if rng.random() < 0.015:  # never reached: a supervisor closes it with a reason
                for n in range(2):
                    self.contact(day + timedelta(days=n, minutes=rng.randrange(480)),
                                 "contact_unreachable", self.owner, unreachable=True)
                self.t = max(self.t, day)
                self.later(rng.uniform(30, 120))
                self.move("closed", ctx.supervisor, ctx.texts.line("close_override",
                                                                   self.plan.lang))
                return
            roll = rng.random()
            delay = 0 if roll < 0.8 else rng.randint(1, 3) if roll < 0.95 else rng.randint(4, 10)
            done = day + timedelta(days=delay, minutes=rng.randrange(540))
            if done <= self.t:
                done = self.t + timedelta(hours=1)
            if done > ctx.now:
                raise Stop
            self.t = done
            score = int(weighted(rng, _SCORES if c["reopen_count"] == 0 else _SCORES_AFTER_REOPEN))
            if c["reopen_count"] >= 2:
                score = max(score, 3)
            ok = score >= 3
            key = "revisit_good" if score >= 4 else "revisit_fair" if ok else "revisit_bad"
            comment = ctx.texts.line(key, self.plan.lang)
            method, clerk = weighted(rng, _REVISIT_METHODS), rng.choice(ctx.clerks)
            pending.update(done_at=done, method=method, satisfaction=score, comment=comment,
                           satisfied=ok, by_id=clerk[0])
            c["satisfaction"] = score
            self.event("revisit_done", clerk, method=method, satisfaction=score,
                       comment=comment, satisfied=ok)
            if ok:
                self.move("closed", clerk)
                return
            self.move("investigating", clerk, comment)
            self.work()

    def first_contact(self) -> None:
        """The desk's first call, within the first-contact time mostly (never after closing)."""
        ctx, rng, p = self.ctx, self.rng, self.plan
        hours = ctx.policy.for_severity(p.severity).first_contact_hours * self.slow
        factor = rng.uniform(0.05, 0.9) if rng.random() < 0.9 else rng.uniform(1.1, 3.0)
        at = p.received_at + timedelta(hours=hours * factor)
        end = self.c["closed_at"] or ctx.now
        if rng.random() < 0.12:
            tried = max(min(at, end) - timedelta(minutes=rng.randrange(10, 60)),
                        p.received_at + timedelta(minutes=5))
            self.contact(tried, "contact_unreachable", p.recorder, unreachable=True)
        if at <= end:
            self.contact(at, "contact_first", p.recorder)

    def finish(self) -> None:
        self.events.sort(key=lambda e: e["at"])  # stable: same-time rows keep their order
        reached = [r["at"] for r in self.contacts if not r["unreachable"]]
        if reached:  # contacts are not logged in time order (the first call is added last)
            self.c["first_contact_at"] = min(reached)
        self.c["version"] = len(self.events)
        self.c["updated_at"] = self.events[-1]["at"]


_EMOTIONS = {
    "minor": [("calm", 60), ("upset", 35), ("angry", 5)],
    "normal": [("calm", 45), ("upset", 42), ("angry", 13)],
    "serious": [("calm", 25), ("upset", 45), ("angry", 30)],
    "urgent": [("calm", 15), ("upset", 40), ("angry", 45)],
}
