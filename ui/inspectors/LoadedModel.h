#pragma once
// A model folder opened for the wizard and the inspectors: its config, tokenizer and encoder, footprint and the
// projection names found in its weights. Opening reads the tokenizer and every weight header, so loadModel() is
// called on a worker thread; the result is immutable and shared between widgets.

#include "core/train/example_encoder.h"
#include "core/model/model_footprint.h"
#include "core/model/model_folder.h"

#include <QString>
#include <QStringList>

#include <memory>

struct LoadedModel {
    QString dir;
    ft::ModelFolder folder;
    // Refers to `folder`: a LoadedModel never moves (it lives behind a shared_ptr).
    std::unique_ptr<ft::ExampleEncoder> encoder;
    ft::ModelFootprint footprint;
    QString chatTemplate;      // the folder's own, as written (empty when it has none)
    QString templateError;     // the folder's template does not compile; the encoder was made without it
    QStringList linearModules; // projection names in the decoder layers, in order of appearance ("q_proj", …)
    QStringList specialTokens; // strings the tokenizer keeps whole (bos, eos, chat markers)
    QString error;             // set when the folder could not be opened; nothing else is then filled

    bool ok() const { return error.isEmpty(); }
    QString bosToken() const;
    QString eosToken() const;
};

using LoadedModelPtr = std::shared_ptr<const LoadedModel>;

// Slow: reads the folder. Never throws; failures are in `error`.
LoadedModelPtr loadModel(const QString& dir);
