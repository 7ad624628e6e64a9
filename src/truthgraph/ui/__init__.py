"""The web UI: server-rendered pages (Jinja2, autoescaped) over the same actions,
store and models as the REST API, mounted under /ui by the API app itself."""
