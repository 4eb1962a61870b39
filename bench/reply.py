"""Reply cost: one incoming answer through the real PTB application and our TelegramChannel — stored in
the inbox, parsed, validated, committed with the next question in the outbox — until the next question
is handed to the Bot API transport. At 1, 50 and 200 focal persons in the middle of Form 1, on SQLite
and PostgreSQL; against the same script answered by PTB's own persistent conversation pattern
(ConversationHandler + PicklePersistence), which keeps its state in memory and pickles it now and then.

Both bots run on the same fast in-process transport (`bench.transport`, a PTB BaseRequest answering
getUpdates/sendMessage without HTTP), so the figures are bot-side time: update handed to the bot →
reply handed to Telegram. PTB's AIORateLimiter is left out of both (it holds messages to Telegram's
30/s ceiling, which the wave benchmark measures).

Two ways of arriving:
- `seq`: the N persons take turns, one answer in flight at a time (service time with N dialogues open);
- `burst`: all N persons answer at the same instant (one getUpdates batch): the last waits for all others.
The goal (p50 ≤ 5 ms, p99 ≤ 25 ms at 200) is read on `seq`; `burst` shows the queue a busy second makes.
"""

from __future__ import annotations

import asyncio
import logging
import re
import tempfile
import time
import warnings
from collections.abc import Callable
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    PicklePersistence,
    filters,
)

from bench.common import line, median, note, percentile, pg_url
from bench.transport import Transport
from bench.world import TOKEN, database, focal_persons, make

LEVELS = (1, 50, 200)
RUNS = 3
ANSWERS = {1: 40, 50: 150, 200: 300}  # answers measured per run and level (sequential)


def script(uid: int, step: int, transport: Transport) -> dict[str, Any]:
    """The update for step `step` of a five-step cycle through Form 1: answer ct1, skip its international
    comparison, answer ct2, back, back (to ct1 again). Two typed answers are stored per cycle."""
    k, phase = divmod(step, 5)
    k %= 5
    if phase == 0:
        return transport.text(uid, f"{60 + k}%/{40 - k}%")
    if phase == 1:
        return transport.press(uid, "skip:ct1")
    if phase == 2:
        return transport.text(uid, f"{120 + k}.500/150.000")
    return transport.press(uid, "back:ct2")


async def drive(transport: Transport, uids: list[int], answers: int, burst: bool,
                steps: dict[int, int]) -> list[float]:
    """Send `answers` updates over the persons; seconds from hand-over to reply, per update."""
    latencies: list[float] = []
    if burst:
        while len(latencies) < answers:
            futures = [transport.expect(uid) for uid in uids]
            updates = [script(uid, steps[uid], transport) for uid in uids]
            for uid in uids:
                steps[uid] += 1
            t0 = time.perf_counter()
            transport.push(*updates)
            done = await asyncio.wait_for(asyncio.gather(*futures), 60)
            latencies += [t - t0 for t in done]
        return latencies
    i = 0
    while len(latencies) < answers:
        uid = uids[i % len(uids)]
        i += 1
        future = transport.expect(uid)
        update = script(uid, steps[uid], transport)
        steps[uid] += 1
        t0 = time.perf_counter()
        transport.push(update)
        latencies.append(await asyncio.wait_for(future, 30) - t0)
    return latencies


# ---- our bot ------------------------------------------------------------------------------------------

def bench_channel(transport: Transport) -> type:
    """TelegramChannel built on the fast transport (no rate limiter)."""
    from bot.telegram import TelegramChannel

    class BenchChannel(TelegramChannel):
        def _build(self) -> Application:
            return (ApplicationBuilder().token(TOKEN).request(transport.request())
                    .get_updates_request(transport.request()).updater(None).build())

    return BenchChannel


async def ours(url: str, level: int, runs: int) -> dict[str, list[float]]:
    """Our bot on `url` with `level` persons: per run, the latencies of seq and burst."""
    from bot.delivery import Delivery
    from bot.server import start_telegram, stop_telegram

    app = make(url, telegram_bot_token=TOKEN)
    uids = await asyncio.to_thread(focal_persons, app, level)
    transport = Transport()
    channels: dict = {}
    delivery = Delivery(app.uow, channels, app.settings.outbox_claim_timeout_seconds)
    channel = bench_channel(transport)(app, app.dialogue_service(), delivery)
    channels["telegram"] = channel
    steps = dict.fromkeys(uids, 0)
    out: dict[str, list[float]] = {"seq_p50": [], "seq_p99": [], "burst_p50": [], "burst_p99": [], "cost": []}
    async with channel.application:
        tasks = await start_telegram(app, channel)
        loop = asyncio.create_task(delivery.run(2.0))
        try:
            await drive(transport, uids, min(level * 5, 50), False, steps)  # warm up
            for _ in range(runs):
                _collect(out, await drive(transport, uids, ANSWERS[level], False, steps),
                         await _burst(transport, uids, level, steps))
        finally:
            loop.cancel()
            await stop_telegram(channel, tasks)
    app.close()
    return out


async def _burst(transport: Transport, uids: list[int], level: int, steps: dict[int, int]) -> list[float]:
    if level == 1:
        return []
    t0 = time.perf_counter()
    latencies = await drive(transport, uids, level, True, steps)
    latencies.append(-(time.perf_counter() - t0))  # total, marked negative, for the per-answer cost
    return latencies


def _collect(out: dict[str, list[float]], seq: list[float], burst: list[float]) -> None:
    out["seq_p50"].append(percentile(seq, 50))
    out["seq_p99"].append(percentile(seq, 99))
    if burst:
        total = -burst.pop()
        out["burst_p50"].append(percentile(burst, 50))
        out["burst_p99"].append(percentile(burst, 99))
        out["cost"].append(total / len(burst))


# ---- the reference: PTB's persistent conversation bot -------------------------------------------------

CT1, INTL1, CT2, INTL2, CT2B = range(5)
PAIR = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*%?\s*/\s*(\d+(?:[.,]\d+)?)\s*%?\s*$")
Q1 = ("<b>Chỉ tiêu 1/9 · Bước 1/7</b>\nGiảm tỷ lệ mất cân đối trong thụ hưởng các sản phẩm báo chí giữa khu vực "
      "thành phố và nông thôn. Nhập hai tỷ lệ, ví dụ 65%/35%.")
Q2 = ("<b>Chỉ tiêu 2/9 · Bước 2/7</b>\nTỷ lệ người dân ở vùng sâu, vùng xa, biên giới, hải đảo được tiếp cận ít "
      "nhất 1 loại hình báo chí. Nhập số người được tiếp cận / tổng số, ví dụ 120.500/150.000.")
INTL = "So sánh quốc tế cho chỉ tiêu {n} (có thể gần tương đương): Anh/Chị nhập ngắn gọn, hoặc bấm Bỏ qua."


def _kb(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d) for t, d in pairs]])


def reference_handler() -> ConversationHandler:
    """Form 1's first two questions as a ConversationHandler (state and answers in user_data)."""

    def ack(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        async def run() -> None:
            await update.callback_query.answer()
            await update.callback_query.edit_message_reply_markup(None)
        context.application.create_task(run())

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        await update.effective_chat.send_message(Q1, parse_mode="HTML", reply_markup=_kb(
            ("Tạm ước tính", "prov:ct1"), ("Ghi chú", "note:ct1"), ("⬅ Quay lại", "back:ct1")))
        return CT1

    def answer(key: str, n: int, nxt: int, check: Callable[[re.Match[str]], bool]) -> Callable:
        async def handler(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
            text = update.message.text
            m = PAIR.match(text)
            if m is None or not check(m):
                await update.message.reply_text(f"Chưa nhận được: {text}", parse_mode="HTML")
                return CT1 if n == 1 else CT2
            context.user_data[key] = text
            await update.effective_chat.send_message(f"Đã lưu: {text}\n\n" + INTL.format(n=n), parse_mode="HTML",
                                                     reply_markup=_kb(("⬅ Quay lại", f"back:ct{n}"),
                                                                      ("Bỏ qua", f"skip:ct{n}")))
            return nxt
        return handler

    def pair_ok(m: re.Match[str]) -> bool:
        return abs(float(m[1].replace(",", ".")) + float(m[2].replace(",", ".")) - 100) < 0.5

    def ratio_ok(m: re.Match[str]) -> bool:
        return float(m[1].replace(".", "")) <= float(m[2].replace(".", ""))

    def show(question: str, key: str, nxt: int, keep: bool, title: str = "") -> Callable:
        async def handler(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
            ack(update, context)
            buttons = [("Tạm ước tính", f"prov:{key}"), ("Ghi chú", f"note:{key}"), ("⬅ Quay lại", f"back:{key}")]
            if keep:
                buttons.append(("Giữ nguyên", f"keep:{key}"))
            await update.effective_chat.send_message(title + question, parse_mode="HTML", reply_markup=_kb(*buttons))
            return nxt
        return handler

    text = filters.TEXT & ~filters.COMMAND
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ConversationHandler(
            entry_points=[CommandHandler("nop", start)],
            states={CT1: [MessageHandler(text, answer("ct1", 1, INTL1, pair_ok))],
                    INTL1: [CallbackQueryHandler(show(Q2, "ct2", CT2, False, "Bỏ qua so sánh quốc tế.\n\n"),
                                                 pattern="^skip:")],
                    CT2: [MessageHandler(text, answer("ct2", 2, INTL2, ratio_ok))],
                    INTL2: [CallbackQueryHandler(show(Q2, "ct2", CT2B, True), pattern="^back:")],
                    CT2B: [CallbackQueryHandler(show(Q1, "ct1", CT1, True), pattern="^back:")]},
            fallbacks=[], name="nop", persistent=True)


async def reference(level: int, runs: int) -> dict[str, list[float]]:
    """PTB's persistent conversation bot with `level` persons at question 1."""
    transport = Transport()
    out: dict[str, list[float]] = {"seq_p50": [], "seq_p99": [], "burst_p50": [], "burst_p99": [], "cost": []}
    with tempfile.TemporaryDirectory(prefix="bench-ptb-") as tmp:
        application = (ApplicationBuilder().token(TOKEN).request(transport.request())
                       .get_updates_request(transport.request())
                       .persistence(PicklePersistence(f"{tmp}/conversation.pickle")).build())
        application.add_handler(reference_handler())
        uids = list(range(7_000_001, 7_000_001 + level))
        async with application:
            await application.start()
            await application.updater.start_polling(poll_interval=0, timeout=10)
            for uid in uids:  # each person types /nop (not measured)
                future = transport.expect(uid)
                transport.push(transport.text(uid, "/nop"))
                await future
            steps = dict.fromkeys(uids, 0)
            await drive(transport, uids, min(level * 5, 50), False, steps)
            for _ in range(runs):
                _collect(out, await drive(transport, uids, ANSWERS[level], False, steps),
                         await _burst(transport, uids, level, steps))
            await application.updater.stop()
            await application.stop()
    return out


def report(tag: str, r: dict[str, list[float]], level: int, goals: bool) -> None:
    p50, p99 = median(r["seq_p50"]) * 1000, median(r["seq_p99"]) * 1000
    line(f"{tag}.seq.p50", p50, "ms", "≤ 5 ms" if goals else None, p50 <= 5 if goals else None)
    line(f"{tag}.seq.p99", p99, "ms", "≤ 25 ms" if goals else None, p99 <= 25 if goals else None)
    if r["burst_p50"]:
        line(f"{tag}.burst.p50", median(r["burst_p50"]) * 1000, "ms")
        line(f"{tag}.burst.p99", median(r["burst_p99"]) * 1000, "ms")
        line(f"{tag}.burst.per_answer", median(r["cost"]) * 1000, "ms")


def main() -> None:
    logging.getLogger("telegram").setLevel(logging.WARNING)
    note("reply: update handed to the bot → next question handed to the Bot API, bot-side time only: both "
         "bots run on a fast in-process transport (a PTB BaseRequest answering getUpdates/sendMessage "
         "without HTTP), without AIORateLimiter")
    note(f"seq = persons take turns, one answer in flight; burst = all N answer at once; "
         f"median of {RUNS} runs, each of {ANSWERS} answers (seq) per level")
    backends = ["sqlite"] + (["postgresql"] if pg_url() else [])
    refs = {}
    for level in LEVELS:
        refs[level] = asyncio.run(reference(level, RUNS))
        report(f"reply.ptb_reference.{level}", refs[level], level, False)
    for backend in backends:
        for level in LEVELS:
            with database(backend) as url:
                r = asyncio.run(ours(url, level, RUNS))
            report(f"reply.{backend}.{level}", r, level, level == 200)
            ratio = median(r["seq_p50"]) / median(refs[level]["seq_p50"])
            line(f"reply.{backend}.{level}.ratio_to_ptb_reference", ratio, "x (p50, seq)",
                 "≤ 1.0" if level == 200 else None, ratio <= 1.0 if level == 200 else None)
    note("the reference keeps answers in memory (PicklePersistence writes every 60 s); ours commits every "
         "answer, its inbox row and its reply to the database before the reply is sent")


if __name__ == "__main__":
    main()
