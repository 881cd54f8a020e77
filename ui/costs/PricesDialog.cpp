// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/costs/PricesDialog.h"
#include "ui/EngineLink.h"
#include "ui/SemanticColours.h"
#include "ui/costs/PricingModel.h"
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QUndoStack>
#include <QVBoxLayout>

namespace Switchyard {

PricesDialog::PricesDialog(EngineLink *link, QWidget *parent)
    : QDialog(parent)
    , m_link(link)
    , m_undo(new QUndoStack(this))
    , m_model(new PricingModel(this))
    , m_table(new QTableView(this))
    , m_status(new QLabel(this))
{
    setWindowTitle(tr("Prices"));
    m_model->setUndoStack(m_undo);
    m_model->setPrices(link->config().pricing);
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Your own prices, in USD per million tokens. They replace the shipped price of the same "
                                "provider and model, or price one Switchyard does not know. They count for calls from now on."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    m_table->setObjectName(QStringLiteral("pricesTable"));
    m_table->setModel(m_model);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->horizontalHeader()->setSectionResizeMode(PricingModel::ModelColumn, QHeaderView::Stretch);
    layout->addWidget(m_table, 1);
    m_status->setObjectName(QStringLiteral("pricesStatus"));
    layout->addWidget(m_status);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Close, this);
    QPushButton *add = buttons->addButton(tr("Add"), QDialogButtonBox::ActionRole);
    QPushButton *remove = buttons->addButton(tr("Remove"), QDialogButtonBox::ActionRole);
    QPushButton *undo = buttons->addButton(tr("Undo"), QDialogButtonBox::ActionRole);
    undo->setShortcut(QKeySequence::Undo);
    connect(add, &QPushButton::clicked, this, &PricesDialog::addPrice);
    connect(remove, &QPushButton::clicked, this, &PricesDialog::removeSelected);
    connect(undo, &QPushButton::clicked, m_undo, &QUndoStack::undo);
    connect(m_undo, &QUndoStack::canUndoChanged, undo, &QPushButton::setEnabled);
    undo->setEnabled(false);
    connect(buttons, &QDialogButtonBox::accepted, this, &PricesDialog::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    connect(link, &EngineLink::configSaved, this, &PricesDialog::onConfigSaved);
    resize(820, 420);
}

QString PricesDialog::statusText() const
{
    return m_status->text();
}

void PricesDialog::addPrice()
{
    PriceOverride price;
    price.provider = QStringLiteral("openai");
    price.model = tr("model-name");
    const int row = m_model->rowCount();
    m_model->insertPrice(row, price);
    m_table->setCurrentIndex(m_model->index(row, PricingModel::ModelColumn));
    m_table->edit(m_table->currentIndex());
}

void PricesDialog::removeSelected()
{
    if (m_table->currentIndex().isValid())
        m_model->removePrice(m_table->currentIndex().row());
}

void PricesDialog::save()
{
    Config config = m_link->config();
    config.pricing = m_model->prices();
    m_status->setText(tr("Saving…"));
    m_status->setStyleSheet(QString());
    m_ticket = m_link->requestConfigSave(config);
}

void PricesDialog::onConfigSaved(quint64 ticket, const QStringList &errors)
{
    if (ticket != m_ticket)
        return;
    m_ticket = 0;
    using SemanticColours::Tone;
    m_status->setText(errors.isEmpty() ? tr("Saved: new calls are priced with these.") : errors.join(QLatin1Char('\n')));
    m_status->setStyleSheet(QStringLiteral("color: %1;").arg(SemanticColours::css(errors.isEmpty() ? Tone::Ok : Tone::Error)));
    if (errors.isEmpty())
        m_undo->setClean();
}

} // namespace Switchyard
