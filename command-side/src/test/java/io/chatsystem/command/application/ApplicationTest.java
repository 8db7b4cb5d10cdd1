package io.chatsystem.command.application;

import io.chatsystem.api.application.ApplicationCreated;
import io.chatsystem.api.application.ApplicationRenamed;
import io.chatsystem.api.application.ApplicationView;
import io.chatsystem.api.application.CreateApplicationCommand;
import io.chatsystem.api.application.RenameApplicationCommand;
import io.chatsystem.api.chat.ChatCreated;
import io.chatsystem.api.chat.CreateChatCommand;
import io.chatsystem.api.common.RejectionReason;
import io.chatsystem.command.CommandRejected;
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
        ApplicationTokens tokens = new ApplicationTokens();
        String a = tokens.next();
        String b = tokens.next();
        assertThat(a).matches("[A-Za-z0-9_-]{22}");
        assertThat(a).isNotEqualTo(b);
    }
}
