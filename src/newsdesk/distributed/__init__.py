"""Past one machine: Celery workers on a RabbitMQ broker, Redis for what processes must share.

Used only when `broker_url` is set; with no broker every stage runs locally, as in `make demo`.
"""
