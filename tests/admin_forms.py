"""What a staff member's browser would post back from an admin add or change page, as it was when opened."""


def _initial(form):
    data = {}
    for bound in form:
        value = bound.value()
        if value is None or value is False:
            continue
        if isinstance(value, (list, tuple)):
            data[bound.html_name] = [str(item) for item in value]
        elif value is True:
            data[bound.html_name] = "on"
        else:
            data[bound.html_name] = str(value)
    return data


def admin_page_data(response) -> dict:
    """The page's form and every inline formset (management form included) with the values it showed."""
    context = response.context
    data = _initial(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_initial(formset.management_form))
        for form in formset.initial_forms:
            data.update(_initial(form))
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(len(formset.initial_forms))
    return data
