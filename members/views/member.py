"""The signed-in member's own membership."""

from django.utils import timezone
from django.views.generic import TemplateView

from members.selectors import member_statement, person_for_user, person_history
from panels.access import MemberAccessMixin


class MyMembershipView(MemberAccessMixin, TemplateView):
    template_name = "members/my_membership.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = person_for_user(org=self.org, user=self.request.user)
        context["person"] = person
        if person is not None:
            history = person_history(person=person)
            context.update(history)
            year = timezone.localdate().year
            # Attendance comes from the meetings app once it reports; until then none is known.
            context["statements"] = [
                member_statement(membership=m, year=year)
                for m in history["memberships"]
                if m.is_current
            ]
        return context
