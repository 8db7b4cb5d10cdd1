package io.chatsystem.query.counts;

import java.util.ArrayList;
import java.util.List;

import io.chatsystem.api.application.ApplicationView;
import io.chatsystem.api.chat.ChatView;
import io.chatsystem.query.replay.Projections;
import org.springframework.stereotype.Component;

import static io.chatsystem.query.counts.CountFigures.Kind.CHATS_PER_APPLICATION;
import static io.chatsystem.query.counts.CountFigures.Kind.MESSAGES_PER_CHAT;

/**
 * {@code chats_count} / {@code messages_count} as the counts projection has them now, for a read that waited
 * for a write: the columns get the figures only at the next flush ({@code chat.counts.flush-interval}), the
 * figures in Redis as soon as the projection processed the write. Counts only rise, so the higher of the
 * column and the figure is the current one.
 */
@Component
public class FreshCounts {

    private final CountFigures figures;
    private final Projections projections;

    FreshCounts(CountFigures figures, Projections projections) {
        this.figures = figures;
        this.projections = projections;
    }

    public ApplicationView application(ApplicationView view) {
        return applications(List.of(view)).getFirst();
    }

    public List<ApplicationView> applications(List<ApplicationView> views) {
        List<Long> fresh = live(CHATS_PER_APPLICATION, views.stream().map(ApplicationView::token).toList());
        List<ApplicationView> counted = new ArrayList<>(views.size());
        for (int i = 0; i < views.size(); i++) {
            ApplicationView view = views.get(i);
            counted.add(new ApplicationView(view.token(), view.name(), higher(view.chatsCount(), fresh.get(i))));
        }
        return counted;
    }

    public ChatView chat(String applicationToken, ChatView view) {
        return chats(applicationToken, List.of(view)).getFirst();
    }

    public List<ChatView> chats(String applicationToken, List<ChatView> views) {
        List<Long> fresh = live(MESSAGES_PER_CHAT,
                views.stream().map(view -> CountFigures.chatKey(applicationToken, view.number())).toList());
        List<ChatView> counted = new ArrayList<>(views.size());
        for (int i = 0; i < views.size(); i++) {
            ChatView view = views.get(i);
            counted.add(new ChatView(view.number(), higher(view.messagesCount(), fresh.get(i))));
        }
        return counted;
    }

    /** The live version's figures; none before this instance knows which version is live. */
    private List<Long> live(CountFigures.Kind kind, List<String> entries) {
        Integer version = projections.liveVersion(CountsReadModel.NAME);
        return version == null ? java.util.Collections.nCopies(entries.size(), null)
                : figures.figures(version, kind, entries);
    }

    private static long higher(long column, Long figure) {
        return figure == null ? column : Math.max(column, figure);
    }
}
