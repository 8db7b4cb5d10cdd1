package io.chatsystem.query.chat;

import java.util.List;

import io.chatsystem.api.application.FindApplicationQuery;
import io.chatsystem.api.chat.ChatView;
import io.chatsystem.api.chat.FindChatQuery;
import io.chatsystem.api.chat.ListChatsQuery;
import io.chatsystem.axon.ConsistencyToken;
import io.chatsystem.query.consistency.ConsistencyFilter;
import io.chatsystem.query.counts.FreshCounts;
import io.chatsystem.query.web.Paging;
import io.chatsystem.query.web.Queries;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/v1/applications/{token}/chats", produces = "application/json")
class ChatController {

    private final Queries queries;
    private final Paging paging;
    private final FreshCounts counts;

    ChatController(Queries queries, Paging paging, FreshCounts counts) {
        this.queries = queries;
        this.paging = paging;
        this.counts = counts;
    }

    @GetMapping
    List<ChatView> list(@PathVariable String token, @RequestParam(required = false) Integer page,
                        @RequestParam(required = false) Integer size,
                        @RequestAttribute(name = ConsistencyFilter.WRITE, required = false) ConsistencyToken write) {
        var pageSpec = paging.page(page, size);
        queries.one(new FindApplicationQuery(token), "no application with token " + token);
        List<ChatView> chats = queries.ask(new ListChatsQuery(token, pageSpec)).chats();
        return write == null ? chats : counts.chats(token, chats);
    }

    @GetMapping("/{number}")
    ChatView get(@PathVariable String token, @PathVariable int number,
                 @RequestAttribute(name = ConsistencyFilter.WRITE, required = false) ConsistencyToken write) {
        ChatView chat = queries.one(new FindChatQuery(token, number), "application " + token + " has no chat " + number);
        return write == null ? chat : counts.chat(token, chat);
    }
}
