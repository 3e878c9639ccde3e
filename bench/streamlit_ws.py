"""A client of Streamlit's own websocket protocol, for load benchmarks that measure the server.

A browser session of the dashboard is, to the server, a websocket on /_stcore/stream that sends
`BackMsg` protobufs (rerun the script with these widget values) and receives `ForwardMsg` protobufs
(the page's elements, then "script finished"). `ProtocolSession` speaks exactly that, so that 50
sessions cost the benchmark's machine a few coroutines instead of 50 browsers, and what is timed
is the server: from sending a rerun to its "script finished".

Widgets are found in the elements of the last run by their key (the tail of the element's id,
"$$ID-<hash>-<key>"); a change sends every widget value this session holds, as the browser does.
As the browser does too, the session keeps the large elements it received by their hash and tells
the server which it has, so that an element that did not change comes back as a reference; and a
widget drawn in an `st.fragment` can ask for a rerun of that fragment alone (`fragment_of`).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

# Element type -> the WidgetState field its value travels in (Streamlit 1.67's serialisers).
VALUE_FIELDS = {
    "multiselect": "string_array_value",
    "selectbox": "string_value",
    "slider": "double_array_value",
    "checkbox": "bool_value",
    "radio": "string_value",
}


@dataclass
class Run:
    seconds: float
    received: int = 0  # bytes of the ForwardMsgs of this run (the page's payload)
    elements: list = field(default_factory=list)  # (type, element proto) in the order received
    errors: list[str] = field(default_factory=list)  # exceptions and st.error texts on the page

    def markdown(self, starts: str) -> str:
        for kind, element in self.elements:
            if kind == "markdown" and element.body.startswith(starts):
                return element.body
        return ""

    def html(self) -> str:
        return "\n".join(e.body for kind, e in self.elements if kind == "html")


class ProtocolSession:
    def __init__(self, url: str, timeout: float):
        self.ws_url = url.replace("http://", "ws://", 1).rstrip("/") + "/_stcore/stream"
        self.timeout = timeout
        self.ws = None
        self.widgets: dict[str, tuple[str, object]] = {}  # key -> (element type, element)
        self.states: dict[str, WidgetState] = {}  # widget id -> the value this session sent
        self.fragments: dict[str, str] = {}  # widget key -> id of the fragment that drew it
        self.cached: dict[str, ForwardMsg] = {}  # hash -> a cacheable message received

    async def __aenter__(self) -> ProtocolSession:
        self.ws = await websockets.connect(
            self.ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=self.timeout
        )
        return self

    async def __aexit__(self, *exc) -> None:
        await self.ws.close()

    async def rerun(self, query_string: str = "", fragment_of: str | None = None) -> Run:
        """Rerun the script (or, with `fragment_of`, the fragment that drew that widget) with this
        session's widget values; returns when the server says the run finished."""
        message = BackMsg()
        message.rerun_script.query_string = query_string
        message.rerun_script.page_script_hash = ""
        message.rerun_script.widget_states.widgets.extend(self.states.values())
        message.rerun_script.cached_message_hashes.extend(self.cached)
        if fragment_of is not None:
            message.rerun_script.fragment_id = self.fragments[fragment_of]
        started = time.perf_counter()
        await self.ws.send(message.SerializeToString())
        run = Run(0.0)
        deadline = started + self.timeout
        while True:
            data = await asyncio.wait_for(self.ws.recv(), max(0.1, deadline - time.perf_counter()))
            run.received += len(data)
            forward = ForwardMsg()
            forward.ParseFromString(data)
            kind = forward.WhichOneof("type")
            if kind == "ref_hash":  # an element this session has: the server sent its hash
                forward = self.cached[forward.ref_hash]
                kind = forward.WhichOneof("type")
            elif forward.metadata.cacheable:
                self.cached[forward.hash] = forward
            if kind == "script_finished":
                break
            if kind != "delta" or forward.delta.WhichOneof("type") != "new_element":
                continue
            element_kind = forward.delta.new_element.WhichOneof("type")
            element = getattr(forward.delta.new_element, element_kind)
            run.elements.append((element_kind, element))
            if element_kind == "exception":
                run.errors.append(f"{element.type}: {element.message}"[:300])
            elif element_kind == "alert" and element.format == 1:  # ERROR
                run.errors.append(f"error shown: {element.body}"[:300])
            widget_id = getattr(element, "id", "")
            if isinstance(widget_id, str) and widget_id.startswith("$$ID-"):
                key = widget_id.split("-", 2)[2]
                self.widgets[key] = (element_kind, element)
                self.fragments[key] = forward.delta.fragment_id
        run.seconds = time.perf_counter() - started
        return run

    def options(self, key: str) -> list[str]:
        return list(self.widgets[key][1].options)

    def set(self, key: str, value) -> None:
        """Give widget `key` a value for the next rerun (a list for multiselects and sliders)."""
        kind, element = self.widgets[key]
        state = WidgetState(id=element.id)
        target = VALUE_FIELDS[kind]
        if target.endswith("_array_value"):
            getattr(state, target).data.extend(value)
        else:
            setattr(state, target, value)
        self.states[element.id] = state
