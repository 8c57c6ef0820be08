package dev.trainlayer.workflows.registry;

public record ChampionQuery(String model) {}
