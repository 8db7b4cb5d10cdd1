package io.chatsystem.command.application;

import io.chatsystem.api.application.ApplicationView;
import io.chatsystem.api.application.CreateApplicationCommand;
import io.chatsystem.api.application.RenameApplicationCommand;
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
@RequestMapping(path = "/api/v1/applications", consumes = "application/json", produces = "application/json")
class ApplicationController {

    record NameRequest(String name) {
    }

    private final Commands commands;
    private final ApplicationTokens tokens;

    ApplicationController(Commands commands, ApplicationTokens tokens) {
        this.commands = commands;
        this.tokens = tokens;
    }

    @ResponseStatus(HttpStatus.CREATED) // as the answer says; and so the API description documents it
    @PostMapping
    ResponseEntity<ApplicationView> create(@RequestBody NameRequest request,
                                           @RequestHeader(name = IdempotencyKey.HEADER, required = false) String key) {
        IdempotencyKey idempotencyKey = Commands.key(key);
        String token = idempotencyKey == null ? tokens.next() : tokens.forKey(idempotencyKey);
        Commands.Written<Object> created = commands.send(new CreateApplicationCommand(token, request.name()), idempotencyKey);
        String name = ApplicationNames.valid(request.name()); // as the aggregate stored it
        return ResponseEntity.created(Locations.of("/api/v1/applications/{token}", token))
                .headers(created.headers())
                .body(new ApplicationView(token, name, 0));
    }

    @PutMapping("/{token}")
    ResponseEntity<ApplicationView> rename(@PathVariable String token, @RequestBody NameRequest request,
                                           @RequestHeader(name = IdempotencyKey.HEADER, required = false) String key) {
        Commands.Written<ApplicationView> renamed =
                commands.send(new RenameApplicationCommand(token, request.name()), Commands.key(key));
        return ResponseEntity.ok().headers(renamed.headers()).body(renamed.result());
    }
}
