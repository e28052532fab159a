"""The relay's publisher: each ack read in place, on a real nats-server."""

from __future__ import annotations

import asyncio

import nats
import pytest
from nats import errors
from nats.js.api import StreamConfig
from nats.js.errors import APIError, NoStreamResponseError
from union_events.publishing import AckedPublisher


async def test_stored_duplicate_refused_and_unrouted_publishes_are_told_apart(nats_url):
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    await js.add_stream(StreamConfig(name="PUBTEST", subjects=["pubtest.>"]))
    publisher = AckedPublisher(nc)
    try:
        first = await publisher.publish("pubtest.a", b"1", {"Nats-Msg-Id": "a"})
        again = await publisher.publish("pubtest.a", b"1", {"Nats-Msg-Id": "a"})
        others = [await publisher.publish("pubtest.b", b"2", {"Nats-Msg-Id": f"b{i}"})
                  for i in range(500)]  # fmt: skip
        assert await first is False and await again is True  # stored, then dropped
        assert await asyncio.gather(*others) == [False] * 500
        assert (await js.stream_info("PUBTEST")).state.messages == 501

        wrong = {"Nats-Msg-Id": "c", "Nats-Expected-Last-Sequence": "7"}
        with pytest.raises(APIError, match="wrong last sequence"):
            await (await publisher.publish("pubtest.c", b"3", wrong))
        with pytest.raises(NoStreamResponseError):  # no stream takes the subject
            await (await publisher.publish("nostream.x", b"4", {"Nats-Msg-Id": "d"}))
        assert (await js.stream_info("PUBTEST")).state.messages == 501
    finally:
        await publisher.close()
        await js.delete_stream("PUBTEST")
        await nc.close()


async def test_a_batch_is_done_once_every_message_is_acknowledged_and_fails_on_the_first_error(
    nats_url,
):
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    await js.add_stream(StreamConfig(name="PUBBATCH", subjects=["pubbatch.>"]))
    publisher = AckedPublisher(nc)
    others = await nc.subscribe("elsewhere.>")  # other subscriptions on the client still work
    try:
        await (await publisher.publish("pubbatch.a", b"0", {"Nats-Msg-Id": "m-0"}))
        frames = [(f"pubbatch.{i % 3}", f"Nats-Msg-Id: m-{i}\r\n", b"{}") for i in range(300)]
        sent = await publisher.publish_batch(frames)
        assert await sent.done == 1 and sent.size == 300  # m-0 was in the stream already
        assert (await js.stream_info("PUBBATCH")).state.messages == 300
        await nc.publish("elsewhere.x", b"hello")
        assert (await others.next_msg(timeout=5)).data == b"hello"

        unrouted = [("pubbatch.z", "Nats-Msg-Id: z-1\r\n", b"{}"), ("nowhere.z", "", b"{}")]
        with pytest.raises(NoStreamResponseError):
            await (await publisher.publish_batch(unrouted)).done
        with pytest.raises(errors.BadSubjectError):  # refused whole: nothing of it is sent
            await publisher.publish_batch([("pubbatch.y", "", b"{}"), ("bad subject", "", b"")])
        await nc.flush()
        assert (await js.stream_info("PUBBATCH")).state.messages == 301
    finally:
        await publisher.close()
        await js.delete_stream("PUBBATCH")
        await nc.close()
