package io.chatsystem.command.chat;

import io.chatsystem.api.chat.CreateChatCommand;
import io.chatsystem.command.Commands;
import io.chatsystem.command.idempotency.IdempotencyKey;
import io.chatsystem.command.web.Locations;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ChatController {

    record CreatedChat(int number) {
    }

    private final Commands commands;

    ChatController(Commands commands) {
        this.commands = commands;
    }

    /** Takes no body, so any content type (or none) is accepted. */
    @ResponseStatus(HttpStatus.CREATED) // as the answer says; and so the API description documents it
    @PostMapping(path = "/api/v1/applications/{token}/chats", produces = "application/json")
    ResponseEntity<CreatedChat> create(@PathVariable String token,
                                       @RequestHeader(name = IdempotencyKey.HEADER, required = false) String key) {
        Commands.Written<Integer> created = commands.send(new CreateChatCommand(token), Commands.key(key));
        int number = created.result();
        return ResponseEntity.created(Locations.of("/api/v1/applications/{token}/chats/{number}", token, number))
                .headers(created.headers())
                .body(new CreatedChat(number));
    }
}
