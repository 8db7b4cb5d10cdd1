package io.chatsystem.query.chat;

import java.util.List;

import io.chatsystem.api.application.FindApplicationQuery;
import io.chatsystem.api.chat.ChatView;
import io.chatsystem.api.chat.FindChatQuery;
import io.chatsystem.api.chat.ListChatsQuery;
import io.chatsystem.query.web.Paging;
import io.chatsystem.query.web.Queries;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/v1/applications/{token}/chats", produces = "application/json")
class ChatController {

    private final Queries queries;
    private final Paging paging;

    ChatController(Queries queries, Paging paging) {
        this.queries = queries;
        this.paging = paging;
    }

    @GetMapping
    List<ChatView> list(@PathVariable String token, @RequestParam(required = false) Integer page,
                        @RequestParam(required = false) Integer size) {
        var pageSpec = paging.page(page, size);
        queries.one(new FindApplicationQuery(token), "no application with token " + token);
        return queries.ask(new ListChatsQuery(token, pageSpec)).chats();
    }

    @GetMapping("/{number}")
    ChatView get(@PathVariable String token, @PathVariable int number) {
        return queries.one(new FindChatQuery(token, number), "application " + token + " has no chat " + number);
    }
}
