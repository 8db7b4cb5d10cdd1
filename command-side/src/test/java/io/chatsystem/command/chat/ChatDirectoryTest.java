package io.chatsystem.command.chat;

import io.chatsystem.api.application.ApplicationCreated;
import io.chatsystem.api.chat.ChatCreated;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChatDirectoryTest {

    private EmbeddedEventStore eventStore;
    private ChatDirectory directory;

    @BeforeEach
    void setUp() {
        eventStore = EmbeddedEventStore.builder().storageEngine(new InMemoryEventStorageEngine()).build();
        directory = new ChatDirectory(eventStore);
        eventStore.publish(
                new GenericDomainEventMessage<>("Application", "app", 0, new ApplicationCreated("app", "n")),
                new GenericDomainEventMessage<>("Application", "app", 1, new ChatCreated("app", 1)),
                new GenericDomainEventMessage<>("Application", "app", 2, new ChatCreated("app", 2)));
    }

    @AfterEach
    void tearDown() {
        eventStore.shutDown();
    }

    @Test
    void knowsTheChatsAnApplicationCreated() {
        assertThat(directory.exists("app", 1)).isTrue();
        assertThat(directory.exists("app", 2)).isTrue();
    }

    @Test
    void knowsNoChatBeyondTheLastOrBelowOne() {
        assertThat(directory.exists("app", 3)).isFalse();
        assertThat(directory.exists("app", 0)).isFalse();
        assertThat(directory.exists("app", -1)).isFalse();
    }

    @Test
    void knowsNoChatOfAnUnknownApplication() {
        assertThat(directory.exists("other", 1)).isFalse();
    }
}
