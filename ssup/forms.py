"""An ipywidgets data-entry form: log a customer inquiry into the trainee's database.

Each field is checked as it is typed (the customer id is looked up and the customer's name
shown); *Save* writes through :func:`ssup.db.log_inquiry`, so the same rules apply as in code,
and shows the saved row or one plain sentence saying what to fix.

In a notebook::

    form = InquiryForm()
    form            # shows the form; fill it in and press Save

The same form can be driven from code (this is what the Save button does)::

    form.fill(customer_id="CUST-0001", channel="email", category="billing",
              question="Can we move our invoice date to the 1st of the month?")
    form.save()
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from ssup import db

_NONE = "(none)"


class InquiryForm:
    """A form that validates each field and saves a customer inquiry."""

    def __init__(self, received_at: str | None = None) -> None:
        self.received_at = received_at
        self.last_saved: int | None = None
        self.message = ""
        channels = list(db.allowed_values("inquiries", "channel"))
        categories = list(db.allowed_values("inquiries", "category"))
        products = db.query("SELECT product_id, name FROM products ORDER BY product_id")
        style = {"description_width": "110px"}
        layout = widgets.Layout(width="520px")
        self.customer_id = widgets.Text(description="Customer id", placeholder="e.g. CUST-0001",
                                        style=style, layout=layout)
        self.customer_note = widgets.HTML(value="")
        self.channel = widgets.Dropdown(description="Channel", options=channels, value=channels[0],
                                        style=style, layout=layout)
        self.category = widgets.Dropdown(description="Category", options=categories, value=categories[0],
                                         style=style, layout=layout)
        self.product_id = widgets.Dropdown(
            description="Product", options=[_NONE] + [f"{p} | {n}" for p, n in products.itertuples(index=False)],
            value=_NONE, style=style, layout=layout)
        self.question = widgets.Textarea(description="Question", placeholder="The customer's question, in their words",
                                         style=style, layout=widgets.Layout(width="520px", height="90px"))
        self.question_note = widgets.HTML(value="")
        self.save_button = widgets.Button(description="Save inquiry", button_style="primary", icon="save")
        self.status = widgets.HTML(value="")
        self.customer_id.observe(self._on_customer, names="value")
        self.question.observe(self._on_question, names="value")
        self.save_button.on_click(lambda _: self._save())
        self.widget = widgets.VBox([
            widgets.HTML("<b>Log a customer inquiry</b>"),
            self.customer_id, self.customer_note, self.channel, self.category, self.product_id,
            self.question, self.question_note, self.save_button, self.status,
        ])

    # -- live checks ------------------------------------------------------------------------
    def _on_customer(self, change: dict[str, Any]) -> None:
        value = str(change["new"]).strip()
        if not value:
            self.customer_note.value = ""
            return
        found = db.query("SELECT name FROM customers WHERE customer_id = ?", (value,))
        if found.empty:
            self.customer_note.value = _note(f"No customer has id {value!r}.", ok=False)
        else:
            self.customer_note.value = _note(found["name"].iloc[0], ok=True)

    def _on_question(self, change: dict[str, Any]) -> None:
        column = db.columns("inquiries")["question"]
        length = len(str(change["new"]).strip())
        lowest, highest = column.min_length or 1, column.max_length or 10_000
        if length == 0:
            self.question_note.value = ""
        elif length < lowest:
            self.question_note.value = _note(f"{length} characters: at least {lowest} needed.", ok=False)
        elif length > highest:
            self.question_note.value = _note(f"{length} characters: at most {highest} allowed.", ok=False)
        else:
            self.question_note.value = _note(f"{length} characters.", ok=True)

    # -- actions ----------------------------------------------------------------------------
    def fill(self, **values: Any) -> "InquiryForm":
        """Set fields by name (customer_id, channel, category, product_id, question)."""
        for name, value in values.items():
            field = getattr(self, name, None)
            if not isinstance(field, widgets.ValueWidget):
                raise ValueError(f"The form has no field {name!r}.")
            if name == "product_id":
                value = next((o for o in field.options if o.split(" | ")[0] == value), _NONE) if value else _NONE
            field.value = value
        return self

    def save(self) -> int | None:
        """Press Save: returns the new inquiry id, or None when the form was rejected."""
        self.save_button.click()
        return self.last_saved

    def _save(self) -> None:
        product = self.product_id.value
        try:
            inquiry_id = db.log_inquiry(
                customer_id=self.customer_id.value, channel=self.channel.value, category=self.category.value,
                product_id=None if product == _NONE else product.split(" | ")[0],
                question=self.question.value, received_at=self.received_at)
        except db.DataEntryError as error:
            self.last_saved = None
            self.message = str(error)
            self.status.value = _note(f"Not saved: {error}", ok=False)
            return
        self.last_saved = inquiry_id
        row = db.query("SELECT inquiry_id, customer_id, channel, category, product_id, status "
                       "FROM inquiries WHERE inquiry_id = ?", (inquiry_id,))
        self.message = f"Saved inquiry {inquiry_id}."
        self.status.value = _note(self.message, ok=True) + row.to_html(index=False)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = self.widget._repr_mimebundle_(**kwargs)
        if isinstance(bundle, dict):
            bundle["text/plain"] = repr(self)  # short and stable, unlike the widget tree's repr
        return bundle

    def __repr__(self) -> str:
        return "InquiryForm(fields: customer_id, channel, category, product_id, question)"


def _note(text: str, ok: bool) -> str:
    colour = "#1b7f3b" if ok else "#b3261e"
    mark = "&#10003;" if ok else "&#10007;"
    return f'<span style="color:{colour}">{mark} {html.escape(text)}</span>'
