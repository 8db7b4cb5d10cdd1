package io.chatsystem.system;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.chatsystem.stack.AppProcess;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.chatsystem.system.Api.eventuallyWithin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Blue/green rebuilds as readers see them: reads never show less than they showed before a rebuild.
 *
 * <p>Two query sides share the projections, each projecting in batches of 100 events, over an event store
 * of some 20 000 messages, so that rebuilding a projection from the first event takes seconds. Each of the
 * five projections is rebuilt in turn, asked of either query side, and then all five at once. Throughout,
 * clients keep sending messages, and now and then edit a message, rename an application or open a chat;
 * a poller, alternating between the two query sides, reads every read endpoint (applications, chat lists,
 * chats, message pages, single messages, search) and holds each answer to the most that any earlier answer
 * of either query side showed of the same thing. A live stream is opened on each rebuild while it runs.
 *
 * <p>What it proves, for every projection and for all of them rebuilt together, before, while and after
 * readers are switched to the rebuilt version:
 * <ul>
 *   <li>no {@code chats_count} or {@code messages_count} is ever lower than an earlier answer showed;</li>
 *   <li>an application, chat or message once read is never missing (404) or failing afterwards;</li>
 *   <li>a page of a list is never shorter than it was, and a list of chats never shorter;</li>
 *   <li>an edited message body and a renamed application's name never go back to an older one;</li>
 *   <li>a search over messages stored before the rebuilds never finds fewer of them;</li>
 *   <li>a live stream opened during a rebuild delivers every message after its position, in order, none
 *       missed and none twice, through the switch;</li>
 *   <li>afterwards both query sides answer exactly what was written, including everything written during
 *       the rebuilds: every message with its latest body, every count equal to what was sent.</li>
 * </ul>
 */
class RebuildWhileServingIT {

    private static final String PASSWORD = SystemUnderTest.ADMIN_PASSWORD;
    private static final List<String> PROJECTIONS = List.of("applications", "chats", "messages", "counts", "search");
    /** Batches of 100 events instead of 1 000: with this much data, a rebuild from the first event takes seconds. */
    private static final Map<String, String> SMALL_BATCHES = Map.of("PROJECTION_BATCH_SIZE", "100");
    private static final int APPLICATIONS = 3;
    private static final int CHATS_PER_APPLICATION = 4;
    private static final int LOADING_CLIENTS = 40;
    private static final int LOADING_THREADS = 32;
    private static final int SENDS_PER_LOADING_CLIENT = 300;
    /**
     * In every 50th message sent while loading and in nothing written afterwards: its hits in a chat are
     * fixed once the load is indexed.
     */
    private static final String SEARCH_WORD = "quokka";
    private static final int SEARCH_WORD_EVERY = 50;
    /** The first messages of each chat of the first application without the search word are edited, again and again. */
    private static final int EDITED_PER_CHAT = 2;
    private static final int PAGE_SIZE = 100;
    private static final int LIVE_SENDERS = 3;
    private static final Duration PAUSE_BETWEEN_SENDS = Duration.ofMillis(30);
    private static final Duration PAUSE_BETWEEN_CHANGES = Duration.ofMillis(250);
    /** Every so many changes a chat is opened, and half-way between, an application renamed. */
    private static final int CHANGES_PER_NEW_CHAT = 8;
    private static final Duration PAUSE_BETWEEN_ROUNDS = Duration.ofMillis(10);
    private static final int ROUNDS_BEFORE_REQUEST = 2;
    private static final int ROUNDS_AFTER_SWITCH = 3;
    private static final Duration LOAD_PROJECTED_LIMIT = Duration.ofMinutes(2);
    private static final Duration SHARE_LIMIT = Duration.ofSeconds(60);
    private static final Duration REBUILD_LIMIT = Duration.ofMinutes(2);
    private static final Duration ROUNDS_LIMIT = Duration.ofSeconds(60);
    private static final Duration STREAM_WAIT = Duration.ofSeconds(30);
    private static final Duration COMPLETE_LIMIT = Duration.ofMinutes(1);
    private static final int VIOLATIONS_SHOWN = 50;

    private final SystemUnderTest system = SystemUnderTest.get();
    private final Ledger ledger = new Ledger();
    /** One client per query side: writes go to the first command side, reads to that query side. */
    private List<Api> readers;
    private List<Message> editedMessages;
    /** The chats of the load, whose search hits are fixed. */
    private List<Chat> searchedChats;
    /** A chat that gets new messages and no edits: each rebuild opens a stream of it. */
    private Chat streamedChat;

    /** What the polls have seen: only a poller's thread touches it, one poller at a time. */
    private final Map<String, Mark> highWater = new HashMap<>();
    private final Set<String> answered = new HashSet<>();
    private final Set<Chat> seenChats = new LinkedHashSet<>();
    private final Map<Chat, BitSet> seenMessages = new HashMap<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private volatile String phase = "the load";

    @Test
    void readsNeverShowLessThanTheyShowedBeforeWhileEachProjectionAndThenAllAreRebuilt() throws Exception {
        // the shared query side gives way to two projecting in small batches, and is started again afterwards
        system.stopQuerySide();
        List<AppProcess> querySides = new ArrayList<>();
        try {
            querySides.add(system.startExtraQuerySide(SMALL_BATCHES));
            querySides.add(system.startExtraQuerySide(SMALL_BATCHES));
            String commandUrl = system.commandSideUrls().getFirst();
            readers = querySides.stream().map(querySide -> new Api(commandUrl, querySide.baseUrl())).toList();
            rebuildEachThenAllWhileServing(querySides);
        } finally {
            querySides.forEach(AppProcess::close);
            system.startQuerySide();
        }
    }

    private void rebuildEachThenAllWhileServing(List<AppProcess> querySides) throws Exception {
        Api writer = readers.getFirst();
        load(writer);
        awaitLoadProjected();
        awaitShared(readers.getFirst(), querySides.get(0).handle(), querySides.get(1).handle());

        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(LIVE_SENDERS + 1);
        List<Future<?>> clientRuns = new ArrayList<>();
        Map<String, Integer> roundsDuringRebuild = new LinkedHashMap<>();
        try {
            for (int sender = 0; sender < LIVE_SENDERS; sender++) {
                int client = sender;
                clientRuns.add(clients.submit(() -> sendNewMessages(writer, client, writing)));
            }
            clientRuns.add(clients.submit(() -> editRenameAndOpenChats(writer, writing)));

            for (int i = 0; i < PROJECTIONS.size(); i++) {
                String projection = PROJECTIONS.get(i);
                roundsDuringRebuild.put(projection,
                        rebuild(i, projection, List.of(projection), "/admin/projections/" + projection + "/replay"));
            }
            roundsDuringRebuild.put("all five",
                    rebuild(PROJECTIONS.size(), "all five", PROJECTIONS, "/admin/projections/replay"));
        } finally {
            writing.set(false);
            clients.shutdown();
        }
        for (Future<?> run : clientRuns) {
            run.get(1, TimeUnit.MINUTES); // a write that failed fails the test here
        }

        if (!violations.isEmpty()) {
            fail(violations.size() + " reads showed less than an earlier read showed:\n"
                    + String.join("\n", violations.subList(0, Math.min(VIOLATIONS_SHOWN, violations.size()))));
        }
        assertThat(roundsDuringRebuild).as("rounds of reads made while each rebuild ran")
                .allSatisfy((rebuilt, rounds) -> assertThat(rounds).as("during the rebuild of %s", rebuilt).isPositive());
        assertEverythingWrittenIsRead();
    }

    // ---- the rebuilds

    /**
     * Rebuilds {@code projections}, asked of one query side, while a poller reads: from before the request
     * until some rounds after the rebuild is over. A stream opened on the other query side meanwhile must
     * deliver every message of its chat from its position up to one sent after the switch.
     *
     * @return the rounds of reads made entirely while the rebuild ran
     */
    private int rebuild(int index, String label, List<String> projections, String request) throws Exception {
        Api admin = readers.get(index % readers.size());
        Api streamReader = readers.get((index + 1) % readers.size());
        String streamWhere = "query side " + ((index + 1) % readers.size() + 1);
        awaitNoRebuild(admin);
        phase = "the rebuild of " + label;
        try (Poller poller = new Poller()) {
            poller.awaitRounds(ROUNDS_BEFORE_REQUEST);
            Map<String, String> versionsBefore = liveVersions(admin, projections);
            Api.Response replay = admin.admin("POST", request, PASSWORD);
            assertThat(replay.status()).as("%s: %s", request, replay.body()).isEqualTo(202);
            long requestedAt = System.nanoTime();
            int roundsAtRequest = poller.rounds();

            int after = ledger.newest(streamedChat);
            EventStream stream = EventStream.open(streamReader.queryUrl,
                    streamedChat.messagesPath() + "/stream?after=" + after, Map.of());
            try {
                boolean open = awaitOpen(stream, streamWhere, after);
                awaitRebuilt(admin, projections, versionsBefore);
                int roundsAtSwitch = poller.rounds();
                double seconds = (System.nanoTime() - requestedAt) / 1e9;
                poller.awaitRounds(roundsAtSwitch + 1 + ROUNDS_AFTER_SWITCH);

                int marker = readers.getFirst().sendMessage(streamedChat.token(), streamedChat.number(),
                        "after the rebuild of " + label);
                ledger.sent(streamedChat, marker, "after the rebuild of " + label);
                if (open) {
                    checkStream(stream, streamWhere, after, marker);
                }
                int during = Math.max(0, roundsAtSwitch - roundsAtRequest - 1);
                System.out.printf("[rebuild while serving] the rebuild of %s took %.1f s; %d rounds of reads ran during it%n",
                        label, seconds, during);
                return during;
            } finally {
                stream.close();
            }
        }
    }

    private boolean awaitOpen(EventStream stream, String where, int after) throws InterruptedException {
        try {
            stream.awaitOpen();
            return true;
        } catch (AssertionError e) {
            violations.add("%s: the stream of chat %s after %d, opened on %s during the rebuild, did not open: %s"
                    .formatted(phase, streamedChat, after, where, e.getMessage()));
            return false;
        }
    }

    private void checkStream(EventStream stream, String where, int after, int marker) throws InterruptedException {
        List<Integer> expected = IntStream.rangeClosed(after + 1, marker).boxed().toList();
        String described = "the stream of chat %s after %d, opened on %s during the rebuild".formatted(streamedChat, after, where);
        try {
            List<EventStream.Event> events = stream.take(expected.size(), STREAM_WAIT);
            List<Integer> ids = EventStream.ids(events);
            if (!ids.equals(expected)) {
                violations.add("%s: %s delivered %s where %d..%d were sent".formatted(phase, described,
                        firstDifference(expected, ids), after + 1, marker));
            }
            events.stream().filter(event -> !event.type().equals("message")).findFirst().ifPresent(event ->
                    violations.add("%s: %s delivered a %s event for %d; its chat has no edits"
                            .formatted(phase, described, event.type(), event.id())));
        } catch (AssertionError e) {
            violations.add("%s: %s did not deliver %d..%d (the last sent after the switch): %s"
                    .formatted(phase, described, after + 1, marker, e.getMessage()));
        }
    }

    private static String firstDifference(List<Integer> expected, List<Integer> ids) {
        for (int i = 0; i < Math.min(expected.size(), ids.size()); i++) {
            if (!expected.get(i).equals(ids.get(i))) {
                return "%d where %d was due (event %d of %d; from there: %s)".formatted(ids.get(i), expected.get(i),
                        i + 1, ids.size(), ids.subList(i, Math.min(ids.size(), i + 20)));
            }
        }
        return ids.toString();
    }

    private static void awaitNoRebuild(Api admin) {
        eventuallyWithin(REBUILD_LIMIT, () -> assertThat(projections(admin).values())
                .as("projections still rebuilding").noneMatch(RebuildWhileServingIT::rebuilding));
    }

    /**
     * Until each of {@code names} serves a live version other than the one it served before the request, none
     * left rebuilding, and is not in error: a rebuild that has not begun yet does not pass for one that is over.
     */
    private static void awaitRebuilt(Api admin, List<String> names, Map<String, String> versionsBefore) {
        eventuallyWithin(REBUILD_LIMIT, () -> {
            Map<String, JsonNode> projections = projections(admin);
            for (String name : names) {
                JsonNode projection = projections.get(name);
                assertThat(projection).as("projection %s", name).isNotNull();
                assertThat(rebuilding(projection)).as("%s rebuilding: %s", name, projection).isFalse();
                assertThat(liveVersion(projection)).as("%s's live version: %s", name, projection)
                        .isNotEqualTo(versionsBefore.get(name));
                assertThat(projection.get("error").asBoolean()).as("%s in error: %s", name, projection).isFalse();
            }
        });
    }

    private static Map<String, String> liveVersions(Api admin, List<String> names) {
        Map<String, JsonNode> projections = projections(admin);
        Map<String, String> versions = new TreeMap<>();
        for (String name : names) {
            assertThat(projections).as("projections").containsKey(name);
            versions.put(name, liveVersion(projections.get(name)));
        }
        return versions;
    }

    /** The version of the read model readers are served from, as the admin API names it. */
    private static String liveVersion(JsonNode projection) {
        JsonNode live = projection.get("live");
        assertThat(live != null && !live.isNull()).as("a live version: %s", projection).isTrue();
        JsonNode version = live.get("version");
        assertThat(version != null && !version.isNull()).as("the live version's version: %s", projection).isTrue();
        return version.toString();
    }

    private static boolean rebuilding(JsonNode projection) {
        JsonNode rebuilding = projection.get("rebuilding");
        return projection.get("replaying").asBoolean() || rebuilding != null && !rebuilding.isNull();
    }

    private static Map<String, JsonNode> projections(Api admin) {
        Api.Response answer = admin.admin("GET", "/admin/projections", PASSWORD);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        Map<String, JsonNode> byName = new TreeMap<>();
        for (JsonNode projection : answer.json()) {
            byName.put(projection.get("name").asString(), projection);
        }
        return byName;
    }

    /** Waits until each of the two query sides holds a segment of every projection. */
    private static void awaitShared(Api admin, ProcessHandle one, ProcessHandle two) {
        String first = Long.toString(one.pid());
        String second = Long.toString(two.pid());
        eventuallyWithin(SHARE_LIMIT, () -> assertThat(owners(admin)).as("owners of every projection's segments")
                .hasSize(PROJECTIONS.size())
                .allSatisfy((projection, owners) -> assertThat(owners).containsExactlyInAnyOrder(first, second)));
    }

    /** Each projection's segment owners by process id (owners are named pid@host, Axon's default). */
    private static Map<String, Set<String>> owners(Api admin) {
        Map<String, Set<String>> owners = new TreeMap<>();
        projections(admin).forEach((name, projection) -> {
            Set<String> holders = new HashSet<>();
            for (JsonNode segment : projection.get("segments")) {
                JsonNode owner = segment.get("owner");
                holders.add(owner == null || owner.isNull() ? "nobody" : owner.asString().split("@")[0]);
            }
            owners.put(name, holders);
        });
        return owners;
    }

    // ---- the writes

    private void load(Api writer) {
        for (int a = 0; a < APPLICATIONS; a++) {
            String name = applicationName(a, 0);
            String token = writer.createApplication(name);
            ledger.applicationCreated(token, name);
            for (int c = 0; c < CHATS_PER_APPLICATION; c++) {
                ledger.chatCreated(new Chat(token, writer.createChat(token)));
            }
        }
        List<Chat> chats = ledger.chats();
        long started = System.nanoTime();
        Parallel.run(LOADING_CLIENTS, LOADING_THREADS, client -> {
            Chat chat = chats.get(client % chats.size());
            for (int i = 0; i < SENDS_PER_LOADING_CLIENT; i++) {
                String body = "stored " + client + "/" + i + (i % SEARCH_WORD_EVERY == 0 ? " " + SEARCH_WORD : "");
                ledger.sent(chat, writer.sendMessage(chat.token(), chat.number(), body), body);
            }
            return null;
        });
        System.out.printf("[rebuild while serving] %d messages sent in %.1f s%n",
                LOADING_CLIENTS * SENDS_PER_LOADING_CLIENT, (System.nanoTime() - started) / 1e9);

        searchedChats = chats;
        String firstApplication = ledger.applications().getFirst();
        List<Message> edited = new ArrayList<>();
        for (Chat chat : chats) {
            if (chat.token().equals(firstApplication)) {
                ledger.messages(chat).entrySet().stream()
                        .filter(message -> !message.getValue().contains(SEARCH_WORD))
                        .limit(EDITED_PER_CHAT)
                        .forEach(message -> edited.add(new Message(chat, message.getKey())));
            }
        }
        editedMessages = List.copyOf(edited);
        streamedChat = new Chat(ledger.applications().get(1), 1);
    }

    /** New messages to any chat written so far, at a steady pace. */
    private Void sendNewMessages(Api writer, int sender, AtomicBoolean writing) throws InterruptedException {
        for (int i = 0; writing.get(); i++) {
            List<Chat> chats = ledger.chats();
            Chat chat = chats.get(ThreadLocalRandom.current().nextInt(chats.size()));
            String body = "live " + sender + "/" + i;
            ledger.sent(chat, writer.sendMessage(chat.token(), chat.number(), body), body);
            Thread.sleep(PAUSE_BETWEEN_SENDS);
        }
        return null;
    }

    /** An edit of one of the edited messages each time, and now and then a new chat or a new name. */
    private Void editRenameAndOpenChats(Api writer, AtomicBoolean writing) throws InterruptedException {
        Map<Message, Integer> editVersions = new HashMap<>();
        Map<String, Integer> nameVersions = new HashMap<>();
        List<String> applications = ledger.applications();
        for (int change = 1; writing.get(); change++) {
            Message message = editedMessages.get(change % editedMessages.size());
            int version = editVersions.merge(message, 1, Integer::sum);
            String body = "edited v" + version + " of message " + message.number();
            Api.Response edited = writer.put(message.path(), Api.json("body", body));
            assertThat(edited.status()).as("edit of %s: %s", message, edited.body()).isEqualTo(200);
            ledger.sent(message.chat(), message.number(), body);

            int application = change / CHANGES_PER_NEW_CHAT % applications.size();
            String token = applications.get(application);
            if (change % CHANGES_PER_NEW_CHAT == 0) {
                ledger.chatCreated(new Chat(token, writer.createChat(token)));
            } else if (change % CHANGES_PER_NEW_CHAT == CHANGES_PER_NEW_CHAT / 2) {
                String name = applicationName(application, nameVersions.merge(token, 1, Integer::sum));
                Api.Response renamed = writer.put("/api/v1/applications/" + token, Api.json("name", name));
                assertThat(renamed.status()).as("rename of %s: %s", token, renamed.body()).isEqualTo(200);
                ledger.renamed(token, name);
            }
            Thread.sleep(PAUSE_BETWEEN_CHANGES);
        }
        return null;
    }

    private static String applicationName(int application, int version) {
        return "rebuilt while serving " + application + " v" + version;
    }

    private static long nameVersion(String name) {
        return Long.parseLong(name.substring(name.lastIndexOf(" v") + 2));
    }

    /** 0 for a body as sent, n for the n-th edit. */
    private static long bodyVersion(String body) {
        return body.startsWith("edited v") ? Long.parseLong(body.substring(8, body.indexOf(' ', 8))) : 0;
    }

    // ---- what is read

    /** Until both query sides show the whole load: every count, every chat's search hits. */
    private void awaitLoadProjected() {
        eventuallyWithin(LOAD_PROJECTED_LIMIT, () -> {
            for (Api reader : readers) {
                assertCounts(reader);
            }
            for (Chat chat : searchedChats) {
                assertThat(readers.getFirst().getJson(searchPath(chat))).as("hits of %s in %s", SEARCH_WORD, chat)
                        .hasSize(ledger.hits(chat));
            }
        });
    }

    /** Both query sides answer exactly what was written: names, counts, every message with its latest body, search. */
    private void assertEverythingWrittenIsRead() {
        eventuallyWithin(COMPLETE_LIMIT, () -> {
            for (Api reader : readers) {
                assertCounts(reader);
                for (String token : ledger.applications()) {
                    assertThat(reader.getJson("/api/v1/applications/" + token).get("name").asString())
                            .as("name of %s on %s", token, reader.queryUrl).isEqualTo(ledger.name(token));
                }
            }
        });
        eventuallyWithin(COMPLETE_LIMIT, () -> {
            for (Api reader : readers) {
                for (Chat chat : ledger.chats()) {
                    assertThat(differences(ledger.messages(chat), reader.getAll(chat.messagesPath(), 500)))
                            .as("messages of chat %s on %s", chat, reader.queryUrl).isEmpty();
                }
                for (Chat chat : searchedChats) {
                    assertThat(reader.getJson(searchPath(chat))).as("hits of %s in %s on %s", SEARCH_WORD, chat, reader.queryUrl)
                            .hasSize(ledger.hits(chat));
                }
            }
        });
    }

    private void assertCounts(Api reader) {
        for (String token : ledger.applications()) {
            List<Chat> chats = ledger.chatsOf(token);
            assertThat(reader.getJson("/api/v1/applications/" + token).get("chats_count").asInt())
                    .as("chats_count of %s on %s", token, reader.queryUrl).isEqualTo(chats.size());
            Map<Integer, Integer> counts = new TreeMap<>();
            for (JsonNode chat : reader.getJson("/api/v1/applications/" + token + "/chats?size=500")) {
                counts.put(chat.get("number").asInt(), chat.get("messages_count").asInt());
            }
            Map<Integer, Integer> sent = new TreeMap<>();
            chats.forEach(chat -> sent.put(chat.number(), ledger.messages(chat).size()));
            assertThat(counts).as("messages_count of the chats of %s on %s", token, reader.queryUrl).isEqualTo(sent);
        }
    }

    /** Messages sent but not read, or read with another body, or read twice, or read but never sent; empty if none. */
    private static List<String> differences(NavigableMap<Integer, String> sent, List<JsonNode> read) {
        List<String> differences = new ArrayList<>();
        Map<Integer, String> bodies = new TreeMap<>();
        for (JsonNode message : read) {
            int number = message.get("number").asInt();
            if (bodies.put(number, message.get("body").asString()) != null) {
                differences.add(number + " read twice");
            }
        }
        sent.forEach((number, body) -> {
            String readBody = bodies.get(number);
            if (readBody == null) {
                differences.add(number + " missing");
            } else if (!readBody.equals(body)) {
                differences.add(number + " reads \"" + readBody + "\" instead of \"" + body + "\"");
            }
        });
        bodies.keySet().stream().filter(number -> !sent.containsKey(number))
                .forEach(number -> differences.add(number + " never sent"));
        return differences.size() <= 10 ? differences
                : List.of(differences.size() + " differences, the first: " + differences.subList(0, 10));
    }

    private static String searchPath(Chat chat) {
        return chat.messagesPath() + "/search?size=100&q=" + SEARCH_WORD;
    }

    /**
     * Reads every read endpoint in rounds, each round on the next query side, on its own thread, and holds
     * each answer to what earlier answers showed.
     */
    private final class Poller implements AutoCloseable {

        private final AtomicInteger rounds = new AtomicInteger();
        private final Thread thread;
        private volatile boolean stopped;
        private volatile Throwable failure;

        Poller() {
            thread = Thread.ofPlatform().name("rebuild-poller").start(this::readUntilStopped);
        }

        private void readUntilStopped() {
            try {
                while (!stopped) {
                    readEverything(rounds.get());
                    rounds.incrementAndGet();
                    Thread.sleep(PAUSE_BETWEEN_ROUNDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable e) {
                failure = e;
            }
        }

        /** The rounds done so far; fails if the poller itself failed. */
        int rounds() {
            if (failure != null) {
                throw new IllegalStateException("the poller failed", failure);
            }
            return rounds.get();
        }

        void awaitRounds(int count) {
            eventuallyWithin(ROUNDS_LIMIT, () -> assertThat(rounds()).as("rounds of reads").isGreaterThanOrEqualTo(count));
        }

        @Override
        public void close() throws InterruptedException {
            stopped = true;
            thread.join(ROUNDS_LIMIT.toMillis());
        }
    }

    /** Round {@code round}: on query side 1 and 2 in turn, each turn's things read on both, one after the other. */
    private void readEverything(int round) {
        int instance = round % readers.size();
        int turn = round / readers.size();
        Api reader = readers.get(instance);
        String where = "query side " + (instance + 1);
        List<String> applications = ledger.applications();
        for (String token : applications) {
            readApplication(reader, where, token);
        }
        readChatList(reader, where, applications.get(turn % applications.size()));
        if (seenChats.isEmpty()) {
            return;
        }
        List<Chat> chats = List.copyOf(seenChats);
        Chat chat = chats.get(turn % chats.size());
        readChat(reader, where, chat);
        readPage(reader, where, chat, 1);
        int newest = newestSeen(chat);
        if (newest > 0) {
            readPage(reader, where, chat, (newest - 1) / PAGE_SIZE + 1);
            readMessage(reader, where, new Message(chat, newest));
            readMessage(reader, where, new Message(chat, aSeenMessage(chat)));
        }
        readMessage(reader, where, editedMessages.get(turn % editedMessages.size()));
        readSearch(reader, where, searchedChats.get(turn % searchedChats.size()));
    }

    private void readApplication(Api reader, String where, String token) {
        String path = "/api/v1/applications/" + token;
        JsonNode application = read(reader, where, path);
        if (application != null) {
            atLeast(where, path, "chats_count of application " + token, application.get("chats_count").asLong());
            atLeast(where, path, "name version of application " + token, nameVersion(application.get("name").asString()));
        }
    }

    private void readChatList(Api reader, String where, String token) {
        String path = "/api/v1/applications/" + token + "/chats?size=500";
        JsonNode chats = read(reader, where, path);
        if (chats != null) {
            atLeast(where, path, "length of the chat list of application " + token, chats.size());
            for (JsonNode listed : chats) {
                Chat chat = new Chat(token, listed.get("number").asInt());
                seenChats.add(chat);
                answered.add(chat.path());
                atLeast(where, path, "messages_count of chat " + chat, listed.get("messages_count").asLong());
            }
        }
    }

    private void readChat(Api reader, String where, Chat chat) {
        JsonNode answer = read(reader, where, chat.path());
        if (answer != null) {
            atLeast(where, chat.path(), "messages_count of chat " + chat, answer.get("messages_count").asLong());
        }
    }

    private void readPage(Api reader, String where, Chat chat, int page) {
        String path = chat.messagesPath() + "?page=" + page + "&size=" + PAGE_SIZE;
        JsonNode messages = read(reader, where, path);
        if (messages != null) {
            atLeast(where, path, "length of page " + page + " of chat " + chat, messages.size());
            for (JsonNode listed : messages) {
                Message message = new Message(chat, listed.get("number").asInt());
                seen(message);
                atLeast(where, path, "edit of message " + message, bodyVersion(listed.get("body").asString()));
            }
        }
    }

    private void readMessage(Api reader, String where, Message message) {
        JsonNode answer = read(reader, where, message.path());
        if (answer != null) {
            seen(message);
            atLeast(where, message.path(), "edit of message " + message, bodyVersion(answer.get("body").asString()));
        }
    }

    private void readSearch(Api reader, String where, Chat chat) {
        String path = searchPath(chat);
        JsonNode hits = read(reader, where, path);
        if (hits != null) {
            atLeast(where, path, "hits of " + SEARCH_WORD + " in chat " + chat, hits.size());
        }
    }

    /** The answer if it is a 200; anything else is a violation if the same path answered 200 before. */
    private JsonNode read(Api reader, String where, String path) {
        String failure;
        try {
            Api.Response answer = reader.get(path);
            if (answer.status() == 200) {
                answered.add(path);
                return answer.json();
            }
            failure = answer.status() + " " + abbreviated(answer.body());
        } catch (RuntimeException e) {
            failure = "no answer: " + e;
        }
        if (answered.contains(path)) {
            violations.add("%s: GET %s on %s answered %s; it was answered with 200 before".formatted(phase, path, where, failure));
        }
        return null;
    }

    /** Holds {@code what} to the most any earlier answer showed of it. */
    private void atLeast(String where, String path, String what, long now) {
        Mark before = highWater.get(what);
        if (before != null && now < before.value()) {
            violations.add("%s: GET %s on %s answered %s = %d, after %d on %s during %s".formatted(
                    phase, path, where, what, now, before.value(), before.where(), before.phase()));
        } else if (before == null ? now > 0 : now > before.value()) {
            highWater.put(what, new Mark(now, where, phase));
        }
    }

    private void seen(Message message) {
        seenMessages.computeIfAbsent(message.chat(), chat -> new BitSet()).set(message.number());
        answered.add(message.path());
    }

    private int newestSeen(Chat chat) {
        BitSet seen = seenMessages.get(chat);
        return seen == null || seen.isEmpty() ? 0 : seen.length() - 1;
    }

    private int aSeenMessage(Chat chat) {
        BitSet seen = seenMessages.get(chat);
        int from = ThreadLocalRandom.current().nextInt(seen.length());
        int number = seen.nextSetBit(from);
        return number >= 0 ? number : seen.previousSetBit(from);
    }

    private static String abbreviated(String body) {
        return body.length() <= 300 ? body : body.substring(0, 300) + "…";
    }

    /** The most an answer showed of something, on which query side, and during which rebuild. */
    private record Mark(long value, String where, String phase) {
    }

    private record Chat(String token, int number) {

        String path() {
            return "/api/v1/applications/" + token + "/chats/" + number;
        }

        String messagesPath() {
            return Api.messagesPath(token, number);
        }

        @Override
        public String toString() {
            return token + "/" + number;
        }
    }

    private record Message(Chat chat, int number) {

        String path() {
            return chat.messagesPath() + "/" + number;
        }

        @Override
        public String toString() {
            return chat + "/" + number;
        }
    }

    /** Every write acknowledged: applications and their names, chats, and each message's latest body. */
    private static final class Ledger {

        private final List<String> applications = new CopyOnWriteArrayList<>();
        private final Map<String, String> names = new ConcurrentHashMap<>();
        private final List<Chat> chats = new CopyOnWriteArrayList<>();
        private final Map<Chat, NavigableMap<Integer, String>> messages = new ConcurrentHashMap<>();

        void applicationCreated(String token, String name) {
            names.put(token, name);
            applications.add(token);
        }

        void renamed(String token, String name) {
            names.put(token, name);
        }

        void chatCreated(Chat chat) {
            messages.put(chat, new ConcurrentSkipListMap<>());
            chats.add(chat);
        }

        void sent(Chat chat, int number, String body) {
            messages.get(chat).put(number, body);
        }

        List<String> applications() {
            return List.copyOf(applications);
        }

        String name(String token) {
            return names.get(token);
        }

        List<Chat> chats() {
            return List.copyOf(chats);
        }

        List<Chat> chatsOf(String token) {
            return chats.stream().filter(chat -> chat.token().equals(token)).toList();
        }

        NavigableMap<Integer, String> messages(Chat chat) {
            return messages.get(chat);
        }

        int newest(Chat chat) {
            NavigableMap<Integer, String> sent = messages.get(chat);
            return sent.isEmpty() ? 0 : sent.lastKey();
        }

        int hits(Chat chat) {
            return (int) messages.get(chat).values().stream().filter(body -> body.contains(SEARCH_WORD)).count();
        }
    }
}
