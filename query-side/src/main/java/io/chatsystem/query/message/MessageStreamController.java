package io.chatsystem.query.message;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.chatsystem.api.chat.FindChatQuery;
import io.chatsystem.api.message.MessageChange;
import io.chatsystem.api.message.MessageList;
import io.chatsystem.api.message.MessageView;
import io.chatsystem.api.message.MessagesAfterQuery;
import io.chatsystem.query.web.BadRequestException;
import io.chatsystem.query.web.Queries;
import io.chatsystem.web.AsciiNumbers;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * A chat's messages as Server-Sent Events: first those after the client's position (the number in
 * {@code Last-Event-ID}, or {@code ?after=N}; with neither, only new ones), then each new message once
 * it is readable, in number order, none missing and none twice. The live part is an Axon subscription
 * query on {@link MessagesAfterQuery}, one per chat on this instance ({@link ChatSubscriptions}), whose
 * updates the {@link MessageFeed} emits once the message projection has committed them.
 *
 * <p>The request's own (virtual) thread writes the stream. Updates land in its queue without waiting,
 * so a slow client never holds up the projection; a client that falls {@code chat.streams.queue-capacity}
 * changes behind is closed, and resumes where it was with {@code Last-Event-ID}.
 */
@RestController
@RequestMapping(path = "/api/v1/applications/{token}/chats/{chat}/messages")
class MessageStreamController {

    private static final String LAST_EVENT_ID = "Last-Event-ID";
    private static final Logger log = LoggerFactory.getLogger(MessageStreamController.class);

    private final Queries queries;
    private final ChatSubscriptions subscriptions;
    private final MessageStreams streams;
    private final JsonMapper json;

    MessageStreamController(Queries queries, ChatSubscriptions subscriptions, MessageStreams streams, JsonMapper json) {
        this.queries = queries;
        this.subscriptions = subscriptions;
        this.streams = streams;
        this.json = json;
    }

    @Operation(summary = "The chat's messages as Server-Sent Events, stored ones after a position and then live",
            description = "Events: `message` (id = number, data = one element of the messages list) and "
                    + "`message_edited`; a comment line every few seconds (chat.streams.heartbeat, 3 s). Resume with the Last-Event-ID header.")
    @ApiResponse(responseCode = "200", description = "the stream",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE))
    @GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    void stream(@PathVariable String token, @PathVariable int chat,
                @RequestHeader(name = LAST_EVENT_ID, required = false) String lastEventId,
                @RequestParam(required = false) Integer after, HttpServletResponse response) throws IOException {
        Integer position = position(lastEventId, after);
        queries.one(new FindChatQuery(token, chat), "application " + token + " has no chat " + chat);
        streams.open();
        try {
            new Stream(token, chat, response).run(position);
        } finally {
            streams.close();
        }
    }

    /**
     * The client's position: the last number it has, or null for "only new messages". Both ways of telling
     * it take the same numbers: 0 or more, in ASCII digits.
     */
    static Integer position(String lastEventId, Integer after) {
        if (lastEventId != null && !lastEventId.isBlank()) {
            int id;
            try {
                id = AsciiNumbers.parse(lastEventId);
            } catch (NumberFormatException e) {
                id = -1;
            }
            if (id < 0) {
                throw new BadRequestException(LAST_EVENT_ID + " must be a message number, 0 or more");
            }
            return id;
        }
        if (after != null && after < 0) {
            throw new BadRequestException("after must be 0 or more");
        }
        return after;
    }

    /** One open stream: its subscription, the changes and heartbeats it was handed, and the last number sent. */
    private final class Stream implements ChatSubscriptions.Listener {

        /** Queue entries that are not changes, told apart by identity. */
        private static final MessageChange HEARTBEAT = new MessageChange(MessageChange.Kind.SENT, null);
        private static final MessageChange END = new MessageChange(MessageChange.Kind.SENT, null);
        private static final int NOT_CATCHING_UP = -1;

        private final String token;
        private final int chat;
        private final HttpServletResponse response;
        private final BlockingQueue<MessageChange> handedOver = new LinkedBlockingQueue<>();
        /** Changes handed over and not yet written: bounded by {@code chat.streams.queue-capacity}. */
        private final AtomicInteger queued = new AtomicInteger();
        /**
         * While the stream reads stored messages, the highest new message announced meanwhile (0 for none):
         * those are stored already, so the reading takes them too instead of their changes queueing up (a
         * client catching up is not cut off for the messages sent meanwhile). {@link #NOT_CATCHING_UP} otherwise.
         */
        private final AtomicInteger announcedWhileCatchingUp = new AtomicInteger(NOT_CATCHING_UP);
        private final AtomicBoolean over = new AtomicBoolean();
        private OutputStream out;
        private int last;

        Stream(String token, int chat, HttpServletResponse response) {
            this.token = token;
            this.chat = chat;
            this.response = response;
        }

        void run(Integer position) throws IOException {
            // join the chat's subscription before reading what is stored, so nothing committed in between is missed
            try (ChatSubscriptions.Membership membership = subscriptions.join(token, chat, this)) {
                start();
                last = position == null ? -1 : position;
                if (position != null) {
                    sendStoredUntilCaughtUp();
                    out.flush();
                }
                relay();
            } catch (IOException clientGone) {
                // the client went away: nothing to answer
            } catch (RuntimeException failure) {
                if (!response.isCommitted()) {
                    throw failure; // answered as any request's failure (a 503 when a store is down)
                }
                // the stream has begun: end it; the client resumes with Last-Event-ID
                log.info("Stream of chat {} of {} ended at message {}: {}", chat, token, last, failure.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** From the chat's subscription: never waits (a client too far behind is closed instead). */
        @Override
        public void changed(MessageChange change) {
            if (over.get()) {
                return;
            }
            if (change.kind() == MessageChange.Kind.SENT && notedWhileCatchingUp(change.message().number())) {
                return;
            }
            if (queued.incrementAndGet() > streams.settings().queueCapacity()) {
                end();
            } else {
                handedOver.add(change);
            }
        }

        private boolean notedWhileCatchingUp(int number) {
            int announced;
            do {
                announced = announcedWhileCatchingUp.get();
                if (announced == NOT_CATCHING_UP) {
                    return false;
                }
            } while (!announcedWhileCatchingUp.compareAndSet(announced, Math.max(announced, number)));
            return true;
        }

        /** A comment line, unless something is about to be written anyway. */
        @Override
        public void heartbeat() {
            if (!over.get() && handedOver.isEmpty()) {
                handedOver.add(HEARTBEAT);
            }
        }

        @Override
        public void ended() {
            end();
        }

        private void end() {
            if (over.compareAndSet(false, true)) {
                handedOver.add(END);
            }
        }

        private void start() throws IOException {
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
            // nginx: pass each event on at once instead of buffering the response
            response.setHeader("X-Accel-Buffering", "no");
            out = response.getOutputStream();
            write((": stream of chat " + chat + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /**
         * Live changes, in the order the projection committed them, and a comment line at each heartbeat.
         * What was handed over while the client was being written to goes out together, with one flush.
         */
        private void relay() throws IOException, InterruptedException {
            long idleCatchUp = streams.settings().idleCatchUp().toNanos();
            long caughtUp = System.nanoTime();
            while (!over.get()) {
                MessageChange change = handedOver.take();
                do {
                    if (change == HEARTBEAT) {
                        write(":\n\n".getBytes(StandardCharsets.UTF_8));
                        if (last >= 0 && System.nanoTime() - caughtUp >= idleCatchUp) {
                            // a replay re-reads messages without streaming them: one that the table held only
                            // after this stream had read it is sent now, not only when the next message comes
                            sendStoredUntilCaughtUp();
                            caughtUp = System.nanoTime();
                        }
                    } else if (change != END) {
                        relay(change);
                        queued.decrementAndGet();
                        caughtUp = System.nanoTime();
                    }
                } while (!over.get() && (change = handedOver.poll()) != null);
                out.flush();
            }
        }

        private void relay(MessageChange change) throws IOException {
            if (change.kind() == MessageChange.Kind.SENT) {
                sent(change.message());
            } else if (last < 0 || change.message().number() <= last) {
                // an edit of a message the client has (live only: of any earlier one); a message not
                // sent yet is read with its edit when its turn comes
                send("message_edited", change.message());
            }
        }

        private void sent(MessageView message) throws IOException {
            if (last < 0) {
                last = message.number() - 1; // live only: start at the first new message
            }
            if (message.number() > last + 1) {
                sendStoredUntilCaughtUp(); // a change came before its predecessors were sent: read them
            }
            if (message.number() == last + 1) {
                send("message", message);
                last = message.number();
            }
        }

        /**
         * Everything stored after {@code last}, again while new messages were announced meanwhile. A round
         * that finds nothing new ends it: during a replay the table may not hold them yet, and the idle
         * catch-up or the next message's gap reads them later.
         */
        private void sendStoredUntilCaughtUp() throws IOException {
            int from;
            do {
                from = last;
                announcedWhileCatchingUp.set(0);
                sendStored();
            } while (announcedWhileCatchingUp.getAndSet(NOT_CATCHING_UP) > last && last > from);
        }

        /** Everything stored after {@code last}, page by page. */
        private void sendStored() throws IOException {
            int pageSize = streams.settings().pageSize();
            MessageList page;
            do {
                page = queries.ask(new MessagesAfterQuery(token, chat, last, pageSize));
                for (MessageView message : page.messages()) {
                    send("message", message);
                    last = message.number();
                }
            } while (page.more() || page.messages().size() == pageSize);
        }

        private void send(String event, MessageView message) throws IOException {
            write(streams.event(event, message, view -> json.writeValueAsString(view)));
        }

        private void write(byte[] text) throws IOException {
            out.write(text);
        }
    }
}
