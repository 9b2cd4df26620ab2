"""Back-office screens, one module per area. Views stay thin: forms
validate, services write, selectors read, `backoffice_view` loads and checks."""
