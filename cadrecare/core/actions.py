"""The standard actions of the access table (``cadrecare.org.access``), named in
core because the API base maps the HTTP methods to them."""

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
