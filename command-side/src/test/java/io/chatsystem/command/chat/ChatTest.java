package io.chatsystem.command.chat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import io.chatsystem.api.common.RejectionReason;
import io.chatsystem.api.message.EditMessageCommand;
import io.chatsystem.api.message.EditedMessage;
import io.chatsystem.api.message.MessageEdited;
import io.chatsystem.api.message.MessageSent;
import io.chatsystem.api.message.SendMessageCommand;
import io.chatsystem.axon.wire.AppSerializers;
import io.chatsystem.command.idempotency.IdempotencyKey;
import io.chatsystem.command.message.MessageBodies;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class ChatTest {

    private static final String TOKEN = "tok3n";
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    private AggregateTestFixture<Chat> fixture;
    private final ChatDirectory directory = mock(ChatDirectory.class);

    @BeforeEach
    void setUp() {
        when(directory.exists(eq(TOKEN), anyInt())).thenAnswer(call -> (int) call.getArgument(1) <= 2);
        fixture = new AggregateTestFixture<>(Chat.class);
        fixture.registerInjectableResource(directory);
        fixture.registerInjectableResource(new MessageBodies(20));
        fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static MessageSent sent(int number, String body) {
        return new MessageSent(TOKEN, 2, number, body, NOW);
    }

    @Test
    void theFirstMessageOfAnExistingChatIsNumberOne() {
        fixture.givenNoPriorActivity()
                .when(new SendMessageCommand(TOKEN, 2, "Hello 😀"))
                .expectEvents(sent(1, "Hello 😀"))
                .expectResultMessagePayload(1);
    }

    @Test
    void theNextMessageFollowsTheLast() {
        fixture.given(sent(1, "a"), sent(2, "b"))
                .when(new SendMessageCommand(TOKEN, 2, "c"))
                .expectEvents(sent(3, "c"))
                .expectResultMessagePayload(3);
    }

    @Test
    void aMessageToAChatThatDoesNotExistIsRefused() {
        fixture.givenNoPriorActivity()
                .when(new SendMessageCommand(TOKEN, 3, "hello"))
                .expectNoEvents()
                .expectExceptionDetails(RejectionReason.NOT_FOUND);
    }

    @Test
    void aBlankBodyIsRefused() {
        fixture.given(sent(1, "a"))
                .when(new SendMessageCommand(TOKEN, 2, "  \n"))
                .expectNoEvents()
                .expectExceptionDetails(RejectionReason.INVALID);
    }

    @Test
    void aMissingBodyIsRefused() {
        fixture.given(sent(1, "a"))
                .when(new SendMessageCommand(TOKEN, 2, null))
                .expectNoEvents()
                .expectExceptionDetails(RejectionReason.INVALID);
    }

    @Test
    void aBodyOverTheConfiguredLengthIsRefused() {
        fixture.given(sent(1, "a"))
                .when(new SendMessageCommand(TOKEN, 2, "x".repeat(21)))
                .expectNoEvents()
                .expectExceptionDetails(RejectionReason.INVALID)
                .expectExceptionMessage("body must be at most 20 characters");
    }

    @Test
    void aBodyWithALoneSurrogateIsRefused() {
        fixture.given(sent(1, "a"))
                .when(new SendMessageCommand(TOKEN, 2, "broken \uD800 text"))
                .expectNoEvents()
                .expectExceptionDetails(RejectionReason.INVALID)
                .expectExceptionMessage("body must be valid Unicode text: it holds a lone surrogate");
    }

    @Test
    void controlCharactersAreKeptAsSent() {
        fixture.given(sent(1, "a"))
                .when(new SendMessageCommand(TOKEN, 2, "tab\there\u0000nul\u0007bell"))
                .expectEvents(sent(2, "tab\there\u0000nul\u0007bell"));
    }

    @Test
    void lengthCountsCharactersNotUtf16Units() {
        fixture.given(sent(1, "a"))
                .when(new SendMessageCommand(TOKEN, 2, "😀".repeat(20)))
                .expectEvents(sent(2, "😀".repeat(20)));
    }

    @Test
    void editsAnExistingMessage() {
        fixture.given(sent(1, "a"), sent(2, "b"))
                .when(new EditMessageCommand(TOKEN, 2, 1, "A"))
                .expectEvents(new MessageEdited(TOKEN, 2, 1, "A", NOW))
                .expectResultMessagePayload(new EditedMessage(1, "A", NOW));
    }

    @Test
    void editingAMessageThatDoesNotExistIsRefused() {
        fixture.given(sent(1, "a"))
                .when(new EditMessageCommand(TOKEN, 2, 2, "b"))
                .expectNoEvents()
                .expectExceptionDetails(RejectionReason.NOT_FOUND);
    }

    @Test
    void editingMessageZeroIsRefused() {
        fixture.given(sent(1, "a"))
                .when(new EditMessageCommand(TOKEN, 2, 0, "b"))
                .expectNoEvents()
                .expectExceptionDetails(RejectionReason.NOT_FOUND);
    }

    @Test
    void anEditWithABlankBodyIsRefused() {
        fixture.given(sent(1, "a"))
                .when(new EditMessageCommand(TOKEN, 2, 1, " "))
                .expectNoEvents()
                .expectExceptionDetails(RejectionReason.INVALID);
    }

    @Test
    void editingInAChatWithoutMessagesFindsNoChat() {
        fixture.givenNoPriorActivity()
                .when(new EditMessageCommand(TOKEN, 2, 1, "b"))
                .expectNoEvents()
                .expectException(AggregateNotFoundException.class);
    }

    @Test
    void editsDoNotChangeNumbering() {
        fixture.given(sent(1, "a"), new MessageEdited(TOKEN, 2, 1, "A", NOW))
                .when(new SendMessageCommand(TOKEN, 2, "b"))
                .expectEvents(sent(2, "b"));
    }

    @Test
    void aRepeatedKeyedSendAnswersTheFirstNumberAndWritesNothing() {
        SendMessageCommand send = new SendMessageCommand(TOKEN, 2, "hello");
        fixture.given(keyed(sent(1, "hello"), "m1", send), sent(2, "someone else"))
                .when(send, Map.of(IdempotencyKey.KEY, "m1"))
                .expectNoEvents()
                .expectResultMessagePayload(1);
    }

    @Test
    void aKeyedSendCarriesItsKeyAndFingerprintIntoItsEvent() {
        SendMessageCommand send = new SendMessageCommand(TOKEN, 2, "hello");
        fixture.given(sent(1, "a"))
                .when(send, Map.of(IdempotencyKey.KEY, "m1"))
                .expectEvents(GenericEventMessage.asEventMessage(sent(2, "hello"))
                        .withMetaData(IdempotencyKey.eventMetaData(new IdempotencyKey("m1"), IdempotencyKey.fingerprint(send))))
                .expectResultMessagePayload(2);
    }

    @Test
    void aKeyReusedForAnotherBodyIsRefused() {
        fixture.given(keyed(sent(1, "hello"), "m1", new SendMessageCommand(TOKEN, 2, "hello")))
                .when(new SendMessageCommand(TOKEN, 2, "something else"), Map.of(IdempotencyKey.KEY, "m1"))
                .expectNoEvents()
                .expectExceptionDetails(RejectionReason.KEY_REUSED);
    }

    @Test
    void aRepeatedKeyedEditAnswersTheFirstEdit() {
        EditMessageCommand edit = new EditMessageCommand(TOKEN, 2, 1, "fixed");
        Instant editedAt = NOW.minusSeconds(60);
        fixture.given(sent(1, "a"), keyed(new MessageEdited(TOKEN, 2, 1, "fixed", editedAt), "e1", edit))
                .when(edit, Map.of(IdempotencyKey.KEY, "e1"))
                .expectNoEvents()
                .expectResultMessagePayload(new EditedMessage(1, "fixed", editedAt));
    }

    /** Snapshots keep the keys: a chat serialized and read back, as the snapshotter does, still knows them. */
    @Test
    void aSnapshotKeepsTheKeys() throws Exception {
        SendMessageCommand send = new SendMessageCommand(TOKEN, 2, "hello");
        Chat chat = new Chat();
        chat.on(sent(1, "hello"), "m1", IdempotencyKey.fingerprint(send));
        var serializer = AppSerializers.load().general();
        Chat restored = serializer.deserialize(serializer.serialize(chat, byte[].class));

        assertThat(restored.handle(send, directory, new MessageBodies(20), Clock.fixed(NOW, ZoneOffset.UTC), "m1"))
                .isEqualTo(1);
    }

    private static GenericDomainEventMessage<Object> keyed(Object event, String key, Object command) {
        int number = event instanceof MessageSent sent ? sent.messageNumber() : 0;
        return new GenericDomainEventMessage<>("Chat", TOKEN + ":2", number, event,
                IdempotencyKey.eventMetaData(new IdempotencyKey(key), IdempotencyKey.fingerprint(command)));
    }
}
