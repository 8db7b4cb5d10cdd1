package io.chatsystem.command.application;

import java.util.Map;

import io.chatsystem.api.application.ApplicationCreated;
import io.chatsystem.api.application.ApplicationRenamed;
import io.chatsystem.api.application.ApplicationView;
import io.chatsystem.api.application.CreateApplicationCommand;
import io.chatsystem.api.application.RenameApplicationCommand;
import io.chatsystem.api.chat.ChatCreated;
import io.chatsystem.api.chat.CreateChatCommand;
import io.chatsystem.api.common.RejectionReason;
import io.chatsystem.command.CommandRejected;
import io.chatsystem.command.idempotency.IdempotencyKey;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApplicationTest {

    private static final String TOKEN = "tok3n";

    private AggregateTestFixture<Application> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Application.class);
    }

    @Test
    void createsAnApplicationWithItsNameTrimmed() {
        fixture.givenNoPriorActivity()
                .when(new CreateApplicationCommand(TOKEN, "  Support desk \n"))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new ApplicationCreated(TOKEN, "Support desk"));
    }

    @Test
    void acceptsANameOf255CharactersIncludingEmoji() {
        String name = "😀".repeat(255);
        fixture.givenNoPriorActivity()
                .when(new CreateApplicationCommand(TOKEN, name))
                .expectEvents(new ApplicationCreated(TOKEN, name));
    }

    @Test
    void rejectsABlankName() {
        fixture.givenNoPriorActivity()
                .when(new CreateApplicationCommand(TOKEN, " \t "))
                .expectNoEvents()
                .expectException(CommandRejected.class)
                .expectExceptionDetails(RejectionReason.INVALID);
    }

    @Test
    void rejectsANameWithALoneSurrogate() {
        fixture.givenNoPriorActivity()
                .when(new CreateApplicationCommand(TOKEN, "\uDC00 desk"))
                .expectNoEvents()
                .expectExceptionDetails(RejectionReason.INVALID)
                .expectExceptionMessage("name must be valid Unicode text: it holds a lone surrogate");
    }

    @Test
    void rejectsAMissingName() {
        fixture.givenNoPriorActivity()
                .when(new CreateApplicationCommand(TOKEN, null))
                .expectNoEvents()
                .expectExceptionDetails(RejectionReason.INVALID);
    }

    @Test
    void rejectsANameLongerThan255Characters() {
        fixture.givenNoPriorActivity()
                .when(new CreateApplicationCommand(TOKEN, "x".repeat(256)))
                .expectNoEvents()
                .expectExceptionDetails(RejectionReason.INVALID)
                .expectExceptionMessage("name must be at most 255 characters");
    }

    @Test
    void renamesAndAnswersTheCurrentState() {
        fixture.given(new ApplicationCreated(TOKEN, "old"), new ChatCreated(TOKEN, 1), new ChatCreated(TOKEN, 2))
                .when(new RenameApplicationCommand(TOKEN, " new "))
                .expectEvents(new ApplicationRenamed(TOKEN, "new"))
                .expectResultMessagePayload(new ApplicationView(TOKEN, "new", 2));
    }

    @Test
    void renamingToTheSameNameRecordsNothing() {
        fixture.given(new ApplicationCreated(TOKEN, "same"))
                .when(new RenameApplicationCommand(TOKEN, "same"))
                .expectNoEvents()
                .expectResultMessagePayload(new ApplicationView(TOKEN, "same", 0));
    }

    @Test
    void rejectsABlankNewName() {
        fixture.given(new ApplicationCreated(TOKEN, "old"))
                .when(new RenameApplicationCommand(TOKEN, ""))
                .expectNoEvents()
                .expectExceptionDetails(RejectionReason.INVALID);
    }

    @Test
    void numbersTheFirstChatOne() {
        fixture.given(new ApplicationCreated(TOKEN, "app"))
                .when(new CreateChatCommand(TOKEN))
                .expectEvents(new ChatCreated(TOKEN, 1))
                .expectResultMessagePayload(1);
    }

    @Test
    void numbersTheNextChatAfterTheLast() {
        fixture.given(new ApplicationCreated(TOKEN, "app"), new ChatCreated(TOKEN, 1), new ChatCreated(TOKEN, 2))
                .when(new CreateChatCommand(TOKEN))
                .expectEvents(new ChatCreated(TOKEN, 3))
                .expectResultMessagePayload(3);
    }

    @Test
    void aChatForAnUnknownApplicationIsRefused() {
        fixture.givenNoPriorActivity()
                .when(new CreateChatCommand(TOKEN))
                .expectNoEvents()
                .expectException(org.axonframework.modelling.command.AggregateNotFoundException.class);
    }

    @Test
    void tokensAreUrlSafeAndDistinct() {
        ApplicationTokens tokens = new ApplicationTokens("secret");
        String a = tokens.next();
        String b = tokens.next();
        assertThat(a).matches("[A-Za-z0-9_-]{22}");
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void aKeyAlwaysGivesTheSameTokenUnderOneSecretOnly() {
        ApplicationTokens tokens = new ApplicationTokens("secret");
        IdempotencyKey key = new IdempotencyKey("create-1");
        assertThat(tokens.forKey(key)).matches("[A-Za-z0-9_-]{22}")
                .isEqualTo(new ApplicationTokens("secret").forKey(key))
                .isNotEqualTo(tokens.forKey(new IdempotencyKey("create-2")))
                .isNotEqualTo(new ApplicationTokens("another secret").forKey(key));
    }

    @Test
    void aRepeatedKeyedCreationAnswersTheSameTokenAndWritesNothing() {
        CreateApplicationCommand create = new CreateApplicationCommand(TOKEN, "Support desk");
        fixture.given(created(create, "k1"))
                .when(create, keyed("k1"))
                .expectNoEvents()
                .expectResultMessagePayload(TOKEN);
    }

    @Test
    void aKeyReusedForAnotherCreationIsRefused() {
        fixture.given(created(new CreateApplicationCommand(TOKEN, "Support desk"), "k1"))
                .when(new CreateApplicationCommand(TOKEN, "Another name"), keyed("k1"))
                .expectNoEvents()
                .expectExceptionDetails(RejectionReason.KEY_REUSED);
    }

    @Test
    void aRepeatedKeyedChatCreationAnswersTheSameNumberEvenAfterOtherChats() {
        fixture.given(new ApplicationCreated(TOKEN, "desk"), chatCreated(1, "c1"), new ChatCreated(TOKEN, 2))
                .when(new CreateChatCommand(TOKEN), keyed("c1"))
                .expectNoEvents()
                .expectResultMessagePayload(1);
    }

    @Test
    void aKeyUsedForAChatCannotRenameTheApplication() {
        fixture.given(new ApplicationCreated(TOKEN, "desk"), chatCreated(1, "c1"))
                .when(new RenameApplicationCommand(TOKEN, "new name"), keyed("c1"))
                .expectNoEvents()
                .expectExceptionDetails(RejectionReason.KEY_REUSED);
    }

    private static GenericDomainEventMessage<ApplicationCreated> created(CreateApplicationCommand command, String key) {
        return new GenericDomainEventMessage<>("Application", TOKEN, 0,
                new ApplicationCreated(TOKEN, command.name()),
                IdempotencyKey.eventMetaData(new IdempotencyKey(key), IdempotencyKey.fingerprint(command)));
    }

    private static GenericDomainEventMessage<ChatCreated> chatCreated(int number, String key) {
        return new GenericDomainEventMessage<>("Application", TOKEN, number, new ChatCreated(TOKEN, number),
                IdempotencyKey.eventMetaData(new IdempotencyKey(key),
                        IdempotencyKey.fingerprint(new CreateChatCommand(TOKEN))));
    }

    private static Map<String, ?> keyed(String key) {
        return Map.of(IdempotencyKey.KEY, key);
    }
}
