"""The low web layer every screen uses, public or back-office (issue 15): access
decorators and the refusal page (`access`), calling a service from a view,
messages, pagination (`views`), the back-office list of one kind of item with
its create, edit, delete and move screens (`ordered_list`). The form kit lives with the forms it serves:
`agora.core.forms` (error summary, translated fields, model values, image
checks) and `agora.accounts.forms` (a person typed by staff).

It sits below the components and the cross-cutting apps and above people and
places (it loads spaces), so every app may use it and it imports none of them."""
