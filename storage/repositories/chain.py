"""Collecting units' rounds, their forwardings, and requests for correction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select

from storage.models import CollectorRound, CorrectionRequest, CorrectionStatus, Forwarding, utcnow
from storage.repositories.base import Repository, insert_ignore


class ChainRepository(Repository):
    """What each collecting level did with its units' answers."""

    def round(self, unit_id: int, period_id: int, lock: bool = False) -> CollectorRound | None:
        """The collecting unit's round for the period, optionally locked for update."""
        stmt = select(CollectorRound).where(CollectorRound.unit_id == unit_id, CollectorRound.period_id == period_id)
        return self.session.scalar(stmt.with_for_update() if lock else stmt)

    def ensure_round(self, unit_id: int, period_id: int) -> CollectorRound:
        """The round, created on first use (safe under concurrency); locked."""
        insert_ignore(self.session, CollectorRound.__table__,
                      {"unit_id": unit_id, "period_id": period_id, "forward_count": 0, "created_at": utcnow()},
                      ["unit_id", "period_id"])
        found = self.round(unit_id, period_id, lock=True)
        assert found is not None
        return found

    def rounds(self, period_id: int, unit_ids: Iterable[int] | None = None) -> dict[int, CollectorRound]:
        """Rounds of the period (of these collecting units), by unit id."""
        stmt = select(CollectorRound).where(CollectorRound.period_id == period_id)
        if unit_ids is not None:
            stmt = stmt.where(CollectorRound.unit_id.in_(list(unit_ids)))
        return {r.unit_id: r for r in self.session.scalars(stmt)}

    def add_forwarding(self, forwarding: Forwarding) -> Forwarding:
        """Keep one forwarding of a roll-up."""
        self.session.add(forwarding)
        return forwarding

    def forwardings(self, round_id: int) -> Sequence[Forwarding]:
        """Every forwarding of a round, oldest first."""
        return self.session.scalars(select(Forwarding).where(Forwarding.round_id == round_id)
                                    .order_by(Forwarding.id)).all()

    def add_correction(self, request: CorrectionRequest) -> CorrectionRequest:
        """Store a request for correction."""
        self.session.add(request)
        self.session.flush()
        return request

    def open_corrections(self, period_id: int, unit_id: int) -> Sequence[CorrectionRequest]:
        """Unanswered requests to one unit for the period, oldest first."""
        return self.session.scalars(select(CorrectionRequest).where(
            CorrectionRequest.period_id == period_id, CorrectionRequest.unit_id == unit_id,
            CorrectionRequest.status == CorrectionStatus.OPEN).order_by(CorrectionRequest.id)).all()

    def corrections(self, period_id: int, unit_ids: Iterable[int]) -> Sequence[CorrectionRequest]:
        """Every request of the period to these units, oldest first."""
        return self.session.scalars(select(CorrectionRequest).where(
            CorrectionRequest.period_id == period_id, CorrectionRequest.unit_id.in_(list(unit_ids)))
            .order_by(CorrectionRequest.id)).all()
