#!/usr/bin/env python3
"""Baseline for `make bench`: the Python confluent-kafka client (same librdkafka) producing and consuming
100-byte records with the same settings as the Swift wrapper. Prints one JSON object."""
import argparse
import json
import time
import uuid

from confluent_kafka import Consumer, Producer
from confluent_kafka.admin import AdminClient, NewTopic


def options(text):
    return dict(item.split("=", 1) for item in text.split(",") if item) if text else {}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--brokers", required=True)
    parser.add_argument("--count", type=int, default=200_000)
    parser.add_argument("--size", type=int, default=100)
    parser.add_argument("--options", default="")
    parser.add_argument("--consumer-options", default="")
    parser.add_argument("--partitions", type=int, default=1)
    args = parser.parse_args()
    extra = options(args.options)
    topic = f"bench.python.{uuid.uuid4().hex[:8]}"
    admin = AdminClient({"bootstrap.servers": args.brokers})
    admin.create_topics([NewTopic(topic, num_partitions=args.partitions)])[topic].result()

    producer = Producer({"bootstrap.servers": args.brokers, "enable.idempotence": True, "acks": "all",
                         "linger.ms": 5, "queue.buffering.max.messages": 1_000_000, **extra})
    value = b"x" * args.size
    delivered = 0

    def on_delivery(err, _msg):
        nonlocal delivered
        if err is None:
            delivered += 1

    start = time.perf_counter()
    for _ in range(args.count):
        while True:
            try:
                producer.produce(topic, value, on_delivery=on_delivery)
                break
            except BufferError:
                producer.poll(0.001)
        producer.poll(0)
    enqueue_seconds = time.perf_counter() - start  # client-side cost: records handed to librdkafka
    producer.flush(60)
    produce_seconds = time.perf_counter() - start

    consumer = Consumer({"bootstrap.servers": args.brokers, "group.id": f"bench-{uuid.uuid4().hex[:8]}",
                         "auto.offset.reset": "earliest", "enable.auto.commit": True,
                         "enable.auto.offset.store": False, **extra, **options(args.consumer_options)})
    consumer.subscribe([topic])
    received = 0
    first = None
    deadline = time.time() + 120
    while received < args.count and time.time() < deadline:
        batch = consumer.consume(num_messages=1000, timeout=0.1)
        for message in batch:
            if message.error() is None:
                if first is None:
                    first = time.perf_counter()  # timing starts at the first record: group join excluded
                received += 1
    consume_seconds = time.perf_counter() - (first or time.perf_counter())
    consumer.close()
    print(json.dumps({"client": "python confluent-kafka", "librdkafka": __import__("confluent_kafka").libversion()[0],
                      "count": args.count, "delivered": delivered, "received": received,
                      "produce_per_s": delivered / produce_seconds,
                      "enqueue_per_s": args.count / enqueue_seconds, "consume_per_s": received / consume_seconds}))


if __name__ == "__main__":
    main()
