"""Bounded admission for chat turns: at most N running and M waiting; past that, Busy at once instead of a hang."""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections import deque
from contextlib import asynccontextmanager
from typing import AsyncIterator, Callable

DEFAULT_TURN_S = 5.0  # the retry hint before any turn has been timed
MAX_RETRY_AFTER_S = 300
SMOOTHING = 0.2  # weight of the newest turn in the running mean of turn durations

Release = Callable[[], None]


class Busy(RuntimeError):
    """Every turn slot and every waiting place is taken; retry after `retry_after_s` seconds."""

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class TurnGate:
    """Admits at most max_active turns at once and queues up to max_queued more, first come first served.

    Waiters wait as asyncio futures, not threads, so a full queue never starves the worker threads that running
    turns need. A freed slot passes straight to the oldest waiter; release() may run on any thread or event loop.
    """

    def __init__(self, max_active: int, max_queued: int, clock: Callable[[], float] = time.monotonic) -> None:
        if max_active < 1 or max_queued < 0:
            raise ValueError(f"need max_active >= 1 and max_queued >= 0, got {max_active} and {max_queued}")
        self.max_active = max_active
        self.max_queued = max_queued
        self._clock = clock
        self._lock = threading.Lock()
        self._active = 0  # slots held, including ones being handed to a waiter
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._turn_s: float | None = None  # running mean of how long a slot is held

    @property
    def active(self) -> int:
        """Turns holding a slot now."""
        return self._active

    @property
    def waiting(self) -> int:
        """Turns waiting for a slot now."""
        return len(self._waiters)

    def retry_after_s(self) -> int:
        """Seconds until the turns admitted now are likely done: when a retry should find room."""
        turn_s = DEFAULT_TURN_S if self._turn_s is None else self._turn_s
        backlog = (self._active + len(self._waiters)) / self.max_active
        return max(1, min(MAX_RETRY_AFTER_S, math.ceil(turn_s * backlog)))

    async def enter(self) -> Release:
        """Wait for a slot (raises Busy at once when the queue is full); call the returned release() when done."""
        with self._lock:
            # Waiters exist only while every slot is taken (a freed slot goes to a waiter), so this keeps FIFO order.
            if self._active < self.max_active:
                self._active += 1
                return self._ticket()
            if len(self._waiters) >= self.max_queued:
                retry = self.retry_after_s()
                running = f"{self._active} chat turn{'s' if self._active != 1 else ''} running"
                raise Busy(f"busy: {running} and {len(self._waiters)} waiting, the most this server takes; "
                           f"retry in {retry} s", retry)
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            self._abandon(waiter)
            raise
        return self._ticket()

    @asynccontextmanager
    async def admit(self) -> AsyncIterator[None]:
        """Hold a slot for the body of an `async with`."""
        release = await self.enter()
        try:
            yield
        finally:
            release()

    def _ticket(self) -> Release:
        started = self._clock()
        released = False

        def release() -> None:
            nonlocal released
            with self._lock:
                if released:
                    return
                released = True
                held = self._clock() - started
                self._turn_s = held if self._turn_s is None else (1 - SMOOTHING) * self._turn_s + SMOOTHING * held
            self._free_slot()

        return release

    def _free_slot(self) -> None:
        with self._lock:
            while self._waiters:
                waiter = self._waiters.popleft()
                if waiter.cancelled():
                    continue
                try:
                    # The slot stays counted as active while it travels to the waiter's own event loop.
                    waiter.get_loop().call_soon_threadsafe(self._hand_over, waiter)
                    return
                except RuntimeError:  # that loop is closed: nobody is left to take the slot
                    continue
            self._active -= 1

    def _hand_over(self, waiter: asyncio.Future[None]) -> None:
        # Runs on the waiter's loop. A waiter cancelled on the way passes the slot on instead of leaking it.
        if waiter.done():
            self._free_slot()
        else:
            waiter.set_result(None)

    def _abandon(self, waiter: asyncio.Future[None]) -> None:
        # A waiter cancelled (client gone, server stopping): leave the queue, or give back a slot it already got.
        with self._lock:
            if waiter in self._waiters:
                self._waiters.remove(waiter)
                return
        if waiter.done() and not waiter.cancelled():
            self._free_slot()
