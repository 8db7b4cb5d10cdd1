package io.chatsystem.command.application;

import io.chatsystem.api.application.ApplicationView;
import io.chatsystem.api.application.CreateApplicationCommand;
import io.chatsystem.api.application.RenameApplicationCommand;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

@RestController
@RequestMapping(path = "/api/v1/applications", consumes = "application/json", produces = "application/json")
class ApplicationController {

    record NameRequest(String name) {
    }

    private final CommandGateway commands;
    private final ApplicationTokens tokens;

    ApplicationController(CommandGateway commands, ApplicationTokens tokens) {
        this.commands = commands;
        this.tokens = tokens;
    }

    @PostMapping
    ResponseEntity<ApplicationView> create(@RequestBody NameRequest request, UriComponentsBuilder uri) {
        String token = tokens.next();
        commands.sendAndWait(new CreateApplicationCommand(token, request.name()));
        String name = ApplicationNames.valid(request.name()); // as the aggregate stored it
        return ResponseEntity.created(uri.path("/api/v1/applications/{token}").build(token))
                .body(new ApplicationView(token, name, 0));
    }

    @PutMapping("/{token}")
    ApplicationView rename(@PathVariable String token, @RequestBody NameRequest request) {
        return commands.sendAndWait(new RenameApplicationCommand(token, request.name()));
    }
}
