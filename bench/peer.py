"""The peers: a typical python-telegram-bot form bot answering the benchmark's script of Form 1.

`ConversationHandler` with an inline back button, the answers in `user_data`, with two persistences:
- `pickle`: PTB's own `PicklePersistence`, written every 60 s (a crash can lose a minute of answers);
- `durable`: `bench.persistence.SqlitePersistence` through `DurableApplication`, committed after every update.

In process (`python -m bench reply`) it runs on the fast transport; end to end (`python -m bench e2e`) it runs
as its own process against the fake Bot API: `python -m bench.peer --kind durable --folder DIR` with
PEER_TOKEN and PEER_BASE_URL in the environment.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import warnings
from collections.abc import Callable

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

from bench.persistence import DurableApplication, SqlitePersistence

KINDS = ("pickle", "durable")
CT1, INTL1, CT2, INTL2, CT2B = range(5)
PAIR = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*%?\s*/\s*(\d+(?:[.,]\d+)?)\s*%?\s*$")
Q1 = ("<b>Chỉ tiêu 1/9 · Bước 1/7</b>\nGiảm tỷ lệ mất cân đối trong thụ hưởng các sản phẩm báo chí giữa khu vực "
      "thành phố và nông thôn. Nhập hai tỷ lệ, ví dụ 65%/35%.")
Q2 = ("<b>Chỉ tiêu 2/9 · Bước 2/7</b>\nTỷ lệ người dân ở vùng sâu, vùng xa, biên giới, hải đảo được tiếp cận ít "
      "nhất 1 loại hình báo chí. Nhập số người được tiếp cận / tổng số, ví dụ 120.500/150.000.")
INTL = "So sánh quốc tế cho chỉ tiêu {n} (có thể gần tương đương): Anh/Chị nhập ngắn gọn, hoặc bấm Bỏ qua."


def _kb(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d) for t, d in pairs]])


def _ack(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stop the pressed button's spinner and remove its keyboard, in the background (as ours does)."""
    async def run() -> None:
        await update.callback_query.answer()
        await update.callback_query.edit_message_reply_markup(None)
    context.application.create_task(run())


async def _start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/nop: asks question 1."""
    await update.effective_chat.send_message(Q1, parse_mode="HTML", reply_markup=_kb(
        ("Tạm ước tính", "prov:ct1"), ("Ghi chú", "note:ct1"), ("⬅ Quay lại", "back:ct1")))
    return CT1


def _answer(key: str, n: int, nxt: int, check: Callable[[re.Match[str]], bool]) -> Callable:
    async def handler(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        """A typed answer: stored in user_data when valid, then the international comparison is asked."""
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


def _pair_ok(m: re.Match[str]) -> bool:
    return abs(float(m[1].replace(",", ".")) + float(m[2].replace(",", ".")) - 100) < 0.5


def _ratio_ok(m: re.Match[str]) -> bool:
    return float(m[1].replace(".", "")) <= float(m[2].replace(".", ""))


def _show(question: str, key: str, nxt: int, keep: bool, title: str = "") -> Callable:
    async def handler(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        """A button (skip, back): acknowledged, then the question it leads to is asked."""
        _ack(update, context)
        buttons = [("Tạm ước tính", f"prov:{key}"), ("Ghi chú", f"note:{key}"), ("⬅ Quay lại", f"back:{key}")]
        if keep:
            buttons.append(("Giữ nguyên", f"keep:{key}"))
        await update.effective_chat.send_message(title + question, parse_mode="HTML", reply_markup=_kb(*buttons))
        return nxt
    return handler


def form_handler() -> ConversationHandler:
    """Form 1's first two questions as a persistent ConversationHandler (state and answers in user_data)."""
    text = filters.TEXT & ~filters.COMMAND
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ConversationHandler(
            entry_points=[CommandHandler("nop", _start)],
            states={CT1: [MessageHandler(text, _answer("ct1", 1, INTL1, _pair_ok))],
                    INTL1: [CallbackQueryHandler(_show(Q2, "ct2", CT2, False, "Bỏ qua so sánh quốc tế.\n\n"),
                                                 pattern="^skip:")],
                    CT2: [MessageHandler(text, _answer("ct2", 2, INTL2, _ratio_ok))],
                    INTL2: [CallbackQueryHandler(_show(Q2, "ct2", CT2B, True), pattern="^back:")],
                    CT2B: [CallbackQueryHandler(_show(Q1, "ct1", CT1, True), pattern="^back:")]},
            fallbacks=[], name="nop", persistent=True)


def build(kind: str, folder: str, builder: ApplicationBuilder) -> Application:
    """The form bot on `builder` (token and transport set) with the `kind` persistence, files in `folder`."""
    if kind == "pickle":
        builder = builder.persistence(PicklePersistence(f"{folder}/conversation.pickle"))
    elif kind == "durable":
        builder = builder.application_class(DurableApplication).persistence(
            SqlitePersistence(f"{folder}/conversation.sqlite3"))
    else:
        raise ValueError(f"unknown peer kind {kind!r}; choose among {', '.join(KINDS)}")
    application = builder.build()
    application.add_handler(form_handler())
    return application


def main() -> None:
    """Run one peer against the Bot API at PEER_BASE_URL (long polling) until SIGTERM."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--kind", choices=KINDS, required=True)
    parser.add_argument("--folder", required=True)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    builder = ApplicationBuilder().token(os.environ["PEER_TOKEN"]).base_url(os.environ["PEER_BASE_URL"])
    build(args.kind, args.folder, builder).run_polling(poll_interval=0, timeout=10)


if __name__ == "__main__":
    main()
