package io.chatsystem.query.search;

import java.util.List;

import io.chatsystem.api.chat.FindChatQuery;
import io.chatsystem.api.common.PageSpec;
import io.chatsystem.api.message.MessageView;
import io.chatsystem.api.message.SearchMessagesQuery;
import io.chatsystem.query.web.BadRequestException;
import io.chatsystem.query.web.Paging;
import io.chatsystem.query.web.Queries;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class SearchController {

    private final Queries queries;
    private final SearchSettings settings;

    SearchController(Queries queries, SearchSettings settings) {
        this.queries = queries;
        this.settings = settings;
    }

    @GetMapping(path = "/api/v1/applications/{token}/chats/{chat}/messages/search", produces = "application/json")
    List<MessageView> search(@PathVariable String token, @PathVariable int chat,
                             @RequestParam(required = false) String q,
                             @RequestParam(required = false) Integer page,
                             @RequestParam(required = false) Integer size) {
        if (q == null || q.isBlank()) {
            throw new BadRequestException("query parameter q is required and must not be blank");
        }
        if (q.codePointCount(0, q.length()) > settings.maxQueryLength()) {
            throw new BadRequestException("q must be at most " + settings.maxQueryLength() + " characters");
        }
        PageSpec pageSpec = Paging.page(page, size, settings.defaultPageSize(), settings.maxPageSize());
        if (pageSpec.lastNumber() > settings.maxDepth()) {
            throw new BadRequestException("search pages reach at most " + settings.maxDepth()
                    + " results deep: make the query narrower");
        }
        queries.one(new FindChatQuery(token, chat), "application " + token + " has no chat " + chat);
        // results with long bodies come in several answers: the rest skips those received
        return queries.messages(new SearchMessagesQuery(token, chat, q, pageSpec),
                received -> new SearchMessagesQuery(token, chat, q, pageSpec, received.size()));
    }
}
