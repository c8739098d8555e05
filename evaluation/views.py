from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import AuthenticatedRequest
from evaluation import rules, services
from evaluation.forms import CountsForm
from evaluation.models import QuarterlyCounts, count_labels
from programme.models import Participation
from turvaportaal.lib.rules import refuse_forbidden


def counts(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A participation's Ringist Välja and STAD counts by quarter, and the form that records
    them for whoever may."""
    participation = get_object_or_404(
        Participation.objects.visible_to(request.user).select_related("municipality"), pk=pk
    )
    recording = rules.may_record_counts(request.user, participation)
    if request.method == "POST":
        refuse_forbidden(recording)
    end = min(participation.end_on, timezone.localdate())
    form = CountsForm(
        request.POST if request.method == "POST" else None, start=participation.start_on, end=end
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_counts(
                participation=participation,
                quarter_start_on=form.cleaned_data["quarter"],
                counts=form.counts(),
                user=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The counts are saved."))
            return redirect("participation_counts", participation.pk)
    rows = QuarterlyCounts.objects.filter(participation=participation).order_by("-quarter_start_on")
    return render(
        request,
        "evaluation/counts.html",
        {
            "participation": participation,
            "rows": rows,
            "counts_labels": count_labels(),
            "counts_totals": list(rows.totals().values()),
            "form": form,
            "recording": recording,
        },
    )
