package io.chatsystem.query.message;

import java.util.List;

import io.chatsystem.api.chat.FindChatQuery;
import io.chatsystem.api.message.FindMessageQuery;
import io.chatsystem.api.message.ListMessagesQuery;
import io.chatsystem.api.message.MessagesAfterQuery;
import io.chatsystem.api.message.MessageView;
import io.chatsystem.query.web.Paging;
import io.chatsystem.query.web.Queries;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/v1/applications/{token}/chats/{chat}/messages", produces = "application/json")
class MessageController {

    private final Queries queries;
    private final Paging paging;

    MessageController(Queries queries, Paging paging) {
        this.queries = queries;
        this.paging = paging;
    }

    @GetMapping
    List<MessageView> list(@PathVariable String token, @PathVariable int chat,
                           @RequestParam(required = false) Integer page,
                           @RequestParam(required = false) Integer size) {
        var pageSpec = paging.page(page, size);
        queries.one(new FindChatQuery(token, chat), "application " + token + " has no chat " + chat);
        // a page of long messages comes in several answers: the rest follows the last one received
        return queries.messages(new ListMessagesQuery(token, chat, pageSpec), received -> {
            int last = received.getLast().number();
            return new MessagesAfterQuery(token, chat, last, (int) (pageSpec.lastNumber() - last));
        });
    }

    @GetMapping("/{number:\\d+}")
    MessageView get(@PathVariable String token, @PathVariable int chat, @PathVariable int number) {
        return queries.one(new FindMessageQuery(token, chat, number), "chat " + chat + " has no message " + number);
    }
}
