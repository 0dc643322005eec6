"""The storefront's review pages: writing one. The product page shows reviews through ``templatetags``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import selectors, services
from .exceptions import AlreadyReviewed, InvalidReview, ReviewNotAllowed
from .forms import ReviewForm


@login_required
def review_write(request, line_id):
    """Review one of the customer's delivered order lines."""
    lines = {line.pk: line for line in selectors.reviewable_lines(user=request.user)}
    line = lines.get(line_id)
    if line is None:
        raise Http404("No such order line to review.")
    form = ReviewForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review = services.review_create(
                user=request.user, order_line_id=line.pk, rating=data["rating"], body=data["body"],
                photos=data["photos"],
            )  # fmt: skip
        except InvalidReview as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        except (AlreadyReviewed, ReviewNotAllowed) as exc:
            messages.error(request, exc.message)
            return redirect(line.product.get_absolute_url())
        else:
            messages.success(request, _("Thank you for your review."))
            return redirect(review.product.get_absolute_url() + "#reviews")
    return render(request, "reviews/review_form.html", {"form": form, "line": line})
