package io.chatsystem.command.message;

import io.chatsystem.api.message.EditMessageCommand;
import io.chatsystem.api.message.EditedMessage;
import io.chatsystem.command.Commands;
import io.chatsystem.command.idempotency.IdempotencyKey;
import io.chatsystem.command.web.Locations;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/v1/applications/{token}/chats/{chat}/messages",
        consumes = "application/json", produces = "application/json")
class MessageController {

    record BodyRequest(String body) {
    }

    record SentMessage(int number) {
    }

    private final Commands commands;
    private final MessageSends sends;

    MessageController(Commands commands, MessageSends sends) {
        this.commands = commands;
        this.sends = sends;
    }

    @ResponseStatus(HttpStatus.CREATED) // as the answer says; and so the API description documents it
    @PostMapping
    ResponseEntity<SentMessage> send(@PathVariable String token, @PathVariable int chat,
                                     @RequestBody BodyRequest request,
                                     @RequestHeader(name = IdempotencyKey.HEADER, required = false) String key) {
        IdempotencyKey idempotencyKey = Commands.key(key);
        MessageSends.Sent sent = commands.await(() -> sends.send(token, chat, request.body(), idempotencyKey));
        return ResponseEntity.created(Locations.of("/api/v1/applications/{token}/chats/{chat}/messages/{number}",
                        token, chat, sent.number()))
                .headers(Commands.headers(sent.token()))
                .body(new SentMessage(sent.number()));
    }

    @PutMapping("/{number}")
    ResponseEntity<EditedMessage> edit(@PathVariable String token, @PathVariable int chat, @PathVariable int number,
                                       @RequestBody BodyRequest request,
                                       @RequestHeader(name = IdempotencyKey.HEADER, required = false) String key) {
        Commands.Written<EditedMessage> edited =
                commands.send(new EditMessageCommand(token, chat, number, request.body()), Commands.key(key));
        return ResponseEntity.ok().headers(edited.headers()).body(edited.result());
    }
}
