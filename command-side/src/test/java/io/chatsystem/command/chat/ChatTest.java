package io.chatsystem.command.chat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.chatsystem.api.common.RejectionReason;
import io.chatsystem.api.message.EditMessageCommand;
import io.chatsystem.api.message.EditedMessage;
import io.chatsystem.api.message.MessageEdited;
import io.chatsystem.api.message.MessageSent;
import io.chatsystem.api.message.MessageToSend;
import io.chatsystem.api.message.SendMessageCommand;
import io.chatsystem.api.message.SendMessagesCommand;
import io.chatsystem.api.message.SentMessages;
import io.chatsystem.api.message.SentMessages.Outcome;
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

    @Test
    void aBatchNumbersItsMessagesInOrderInOneCommand() {
        fixture.given(sent(1, "a"))
                .when(batch(new MessageToSend("b", null), new MessageToSend("c", null), new MessageToSend("d", null)))
                .expectEvents(sent(2, "b"), sent(3, "c"), sent(4, "d"))
                .expectResultMessagePayload(new SentMessages(List.of(Outcome.sent(2), Outcome.sent(3), Outcome.sent(4))));
    }

    /** A refused message takes no number and does not stop the others. */
    @Test
    void aBatchRefusesOneMessageAndSendsTheRest() {
        fixture.given(sent(1, "a"))
                .when(batch(new MessageToSend("b", null), new MessageToSend(" ", null), new MessageToSend("c", null)))
                .expectEvents(sent(2, "b"), sent(3, "c"))
                .expectResultMessagePayload(new SentMessages(List.of(Outcome.sent(2),
                        Outcome.refused(RejectionReason.INVALID, "body must not be blank"), Outcome.sent(3))));
    }

    /** The same key twice in one batch (a client's retry that caught up with its first try): one message. */
    @Test
    void aKeyRepeatedWithinABatchSendsOnce() {
        fixture.givenNoPriorActivity()
                .when(batch(new MessageToSend("hello", "m1"), new MessageToSend("hello", "m1")))
                .expectEvents(GenericEventMessage.asEventMessage(sent(1, "hello")).withMetaData(IdempotencyKey.eventMetaData(
                        new IdempotencyKey("m1"), IdempotencyKey.fingerprint(new SendMessageCommand(TOKEN, 2, "hello")))))
                .expectResultMessagePayload(new SentMessages(List.of(Outcome.sent(1), Outcome.sent(1))));
    }

    /** Keys work across the two commands: a message sent alone is recognised when its retry comes batched. */
    @Test
    void aBatchedRetryOfASingleSendAnswersItsNumber() {
        SendMessageCommand send = new SendMessageCommand(TOKEN, 2, "hello");
        fixture.given(keyed(sent(1, "hello"), "m1", send))
                .when(batch(new MessageToSend("hello", "m1"), new MessageToSend("hello", "m2")))
                .expectEvents(GenericEventMessage.asEventMessage(sent(2, "hello")).withMetaData(
                        IdempotencyKey.eventMetaData(new IdempotencyKey("m2"), IdempotencyKey.fingerprint(send))))
                .expectResultMessagePayload(new SentMessages(List.of(Outcome.sent(1), Outcome.sent(2))));
    }

    /** Nothing to send to a chat without messages yet: refused whole, so no empty stream is created. */
    @Test
    void aBatchWithNothingToSendToANewChatIsRefused() {
        fixture.givenNoPriorActivity()
                .when(batch(new MessageToSend("", null)))
                .expectNoEvents()
                .expectExceptionDetails(RejectionReason.INVALID);
    }

    private static SendMessagesCommand batch(MessageToSend... messages) {
        return new SendMessagesCommand(TOKEN, 2, List.of(messages));
    }

    private static GenericDomainEventMessage<Object> keyed(Object event, String key, Object command) {
        int number = event instanceof MessageSent sent ? sent.messageNumber() : 0;
        return new GenericDomainEventMessage<>("Chat", TOKEN + ":2", number, event,
                IdempotencyKey.eventMetaData(new IdempotencyKey(key), IdempotencyKey.fingerprint(command)));
    }
}
