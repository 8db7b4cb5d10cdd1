package io.chatsystem.query.audit;

import java.util.List;

import io.chatsystem.query.web.Paging;
import io.chatsystem.web.StoreCalls;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/v1/applications/{token}", produces = "application/json")
class AuditController {

    private final AuditLog audit;
    private final Paging paging;
    private final StoreCalls stores;

    AuditController(AuditLog audit, Paging paging, StoreCalls stores) {
        this.audit = audit;
        this.paging = paging;
        this.stores = stores;
    }

    @GetMapping("/events")
    List<AuditLog.AuditEvent> application(@PathVariable String token, @RequestParam(required = false) Integer page,
                                          @RequestParam(required = false) Integer size) {
        var pageSpec = paging.page(page, size);
        return stores.call(() -> audit.application(token, pageSpec));
    }

    @GetMapping("/chats/{chat}/events")
    List<AuditLog.AuditEvent> chat(@PathVariable String token, @PathVariable int chat,
                                   @RequestParam(required = false) Integer page,
                                   @RequestParam(required = false) Integer size) {
        var pageSpec = paging.page(page, size);
        return stores.call(() -> audit.chat(token, chat, pageSpec));
    }
}
