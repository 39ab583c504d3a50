"""`make loadtest`: students answering and rating against real gunicorn
servers (SQLite, then two servers on one PostgreSQL with faults), and a
count in the database that nothing was lost or stored twice."""
