"""The team deployment: a PostgreSQL cluster, app replicas and nginx on localhost (see the README, "Team deployment")."""
