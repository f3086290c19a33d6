"""TurnGate: at most N turns run, M wait in order, the rest are told at once to retry; slots never leak."""

from __future__ import annotations

import asyncio
import threading

import pytest

from chatbot.web.admission import Busy, TurnGate


def run(coro):
    return asyncio.run(coro)


async def settle() -> None:
    """Let every ready task and callback run (hand-overs are scheduled with call_soon)."""
    for _ in range(5):
        await asyncio.sleep(0)


def test_admits_up_to_max_active_then_queues_then_refuses_at_once() -> None:
    async def scenario() -> None:
        gate = TurnGate(max_active=2, max_queued=1)
        first, second = await gate.enter(), await gate.enter()
        queued = asyncio.create_task(gate.enter())
        await settle()
        assert (gate.active, gate.waiting) == (2, 1) and not queued.done()
        with pytest.raises(Busy) as refused:
            await gate.enter()
        assert "busy: 2 chat turns running and 1 waiting" in str(refused.value)
        assert f"retry in {refused.value.retry_after_s} s" in str(refused.value)
        assert refused.value.retry_after_s >= 1
        first()
        third = await asyncio.wait_for(queued, timeout=10)
        assert (gate.active, gate.waiting) == (2, 0)
        second()
        third()
        assert (gate.active, gate.waiting) == (0, 0)

    run(scenario())


def test_waiters_are_admitted_first_come_first_served() -> None:
    async def scenario() -> None:
        gate = TurnGate(max_active=1, max_queued=5)
        release = await gate.enter()
        order: list[int] = []

        async def turn(n: int) -> None:
            done = await gate.enter()
            order.append(n)
            done()

        tasks = []
        for n in range(5):
            tasks.append(asyncio.create_task(turn(n)))
            await settle()  # queue them in a known order
        release()
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=10)
        assert order == [0, 1, 2, 3, 4]
        assert (gate.active, gate.waiting) == (0, 0)

    run(scenario())


def test_release_twice_frees_one_slot_only() -> None:
    async def scenario() -> None:
        gate = TurnGate(max_active=1, max_queued=0)
        release = await gate.enter()
        release()
        release()
        assert gate.active == 0
        again = await gate.enter()
        with pytest.raises(Busy):
            await gate.enter()
        again()

    run(scenario())


def test_a_cancelled_waiter_leaves_the_queue_and_a_cancelled_hand_over_passes_the_slot_on() -> None:
    async def scenario() -> None:
        gate = TurnGate(max_active=1, max_queued=2)
        release = await gate.enter()
        gone = asyncio.create_task(gate.enter())
        await settle()
        gone.cancel()  # the client left while waiting
        await settle()
        assert gate.waiting == 0 and gate.active == 1

        late = asyncio.create_task(gate.enter())
        await settle()
        nxt = asyncio.create_task(gate.enter())
        await settle()
        release()  # hands the slot to `late`...
        late.cancel()  # ...which is cancelled before it runs: the slot must reach `nxt`, not leak
        admitted = await asyncio.wait_for(nxt, timeout=10)
        assert gate.active == 1 and gate.waiting == 0
        admitted()
        assert gate.active == 0

    run(scenario())


def test_admit_context_releases_on_error() -> None:
    async def scenario() -> None:
        gate = TurnGate(max_active=1, max_queued=0)
        with pytest.raises(RuntimeError, match="boom"):
            async with gate.admit():
                raise RuntimeError("boom")
        assert gate.active == 0

    run(scenario())


def test_a_slot_freed_on_another_thread_and_loop_reaches_the_waiter() -> None:
    gate = TurnGate(max_active=1, max_queued=1)
    holder: dict[str, object] = {}
    taken, finish = threading.Event(), threading.Event()

    def other_loop() -> None:
        async def hold() -> None:
            holder["release"] = await gate.enter()
            taken.set()
            await asyncio.get_running_loop().run_in_executor(None, finish.wait)
            holder["release"]()  # type: ignore[operator]

        asyncio.run(hold())

    thread = threading.Thread(target=other_loop)
    thread.start()
    assert taken.wait(timeout=10)

    async def wait_for_slot() -> int:
        waiting = asyncio.create_task(gate.enter())
        await settle()
        assert gate.waiting == 1
        finish.set()
        release = await asyncio.wait_for(waiting, timeout=10)
        active = gate.active
        release()
        return active

    assert run(wait_for_slot()) == 1
    thread.join(timeout=10)
    assert (gate.active, gate.waiting) == (0, 0)


def test_retry_hint_follows_measured_turn_time() -> None:
    now = [0.0]
    gate = TurnGate(max_active=1, max_queued=0, clock=lambda: now[0])

    async def scenario() -> int:
        release = await gate.enter()
        now[0] += 40.0
        release()  # one turn took 40 s
        holding = await gate.enter()
        with pytest.raises(Busy) as refused:
            await gate.enter()
        holding()
        return refused.value.retry_after_s

    assert run(scenario()) == 40  # one turn ahead, 40 s each


@pytest.mark.parametrize(("active", "queued"), [(0, 1), (1, -1)])
def test_bad_limits_are_refused(active: int, queued: int) -> None:
    with pytest.raises(ValueError, match="max_active"):
        TurnGate(active, queued)
