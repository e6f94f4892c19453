"""The daily run: open the follow-ups that are due, then remind those not done."""

from celery import shared_task

from .services import followup_open_due, followup_remind


@shared_task(name="followups.run", ignore_result=True)
def run() -> dict[str, int]:
    return {
        "opened": len(followup_open_due()),
        "reminded": followup_remind(),
    }
