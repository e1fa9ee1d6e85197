"""The load test of bench/capacity.py: the corpus, the served stack, the freshness probe,
the in-process statement counts and the Locust file of simulated members."""
