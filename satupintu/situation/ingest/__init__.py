"""Reading the outside world into the Situation Room.

- `http`: a polite HTTP client (robots.txt, one request at a time per host, conditional GET,
  size and time limits) that raises `FetchError` with a message officers can read.
- `feeds`, `pages`, `social`: turn an RSS/Atom feed, a news page or a social-media export into
  `RawItem`s.
- `fetch`: one attempt at one feed or page `Source`, written to `FetchLog`, with backoff.

Storing items (and analysing them) is the caller's job.
"""
