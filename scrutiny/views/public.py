"""What anyone may read: completed reviews, the Board's decisions and progress on actions.
Never evidence, members' names, or anything marked confidential."""

from django.views.generic import TemplateView

from panels.access import PublicAccessMixin
from scrutiny import selectors


class PublicReviewsView(PublicAccessMixin, TemplateView):
    template_name = "scrutiny/public_reviews.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            reviews=list(selectors.review_list_public(org=self.org)), **kwargs
        )
